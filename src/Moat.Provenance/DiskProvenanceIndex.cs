using System.Runtime.InteropServices;

namespace Moat.Provenance;

/// <summary>
/// The embedded provenance index: fingerprints of every served output in append-only, CRC-framed segment files on local
/// disk, loaded into an in-memory inverted index on open. Raw text is never stored.
/// </summary>
public sealed class DiskProvenanceIndex : IProvenanceIndex
{
    private readonly ProvenanceOptions _options;
    private readonly TimeProvider _time;
    private readonly Fingerprinter _fingerprinter;
    private readonly MatchScorer _scorer;
    private readonly PostingTable _postings = new();
    private readonly EntryTable _entries = new();
    private readonly List<SegmentInfo> _segments = [];
    private readonly ReaderWriterLockSlim _gate = new(LockRecursionPolicy.NoRecursion);
    private readonly Lock _appendLock = new();
    private readonly ITimer _flushTimer;
    private readonly byte[] _requestScratch = new byte[1024];
    private SegmentWriter? _active;
    private SegmentInfo? _activeInfo;
    private long _nextSequence;
    private bool _disposed;

    public DiskProvenanceIndex(ProvenanceOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _options = options;
        _time = time;
        _fingerprinter = new Fingerprinter(options.FingerprintSettings());
        _scorer = new MatchScorer(options.BackgroundMatchRate, options.MinSpan, options.ClusterGap);
        System.IO.Directory.CreateDirectory(options.Directory);
        Load();
        var interval = TimeSpan.FromMilliseconds(options.FlushIntervalMs);
        _flushTimer = time.CreateTimer(_ => FlushOnTimer(), null, interval, interval);
    }

    public long Count
    {
        get
        {
            _gate.EnterReadLock();
            try { return _entries.Live; }
            finally { _gate.ExitReadLock(); }
        }
    }

    /// <summary>Segment files currently kept (for tests and the scale report).</summary>
    internal int SegmentCount
    {
        get { lock (_appendLock) return _segments.Count; }
    }

    /// <summary>Approximate bytes of the in-memory index arrays.</summary>
    internal long IndexArrayBytes
    {
        get
        {
            _gate.EnterReadLock();
            try { return _postings.ArrayBytes + _entries.ArrayBytes; }
            finally { _gate.ExitReadLock(); }
        }
    }

    public void Add(ServedText served)
    {
        ArgumentNullException.ThrowIfNull(served);
        // Fingerprinting is the expensive part and needs no lock, so concurrent adders overlap here.
        var fingerprints = _fingerprinter.ForIndex(served.Text ?? string.Empty);
        lock (_appendLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var writer = ActiveSegment();
            writer.Append(served, fingerprints);
            _gate.EnterWriteLock();
            try
            {
                var id = _entries.Add(served, RequestScratch(served.RequestId));
                foreach (var fp in fingerprints) _postings.Add(fp, id);
                _activeInfo!.Include(id, served.ServedAt.UtcTicks);
            }
            finally
            {
                _gate.ExitWriteLock();
            }

            if (writer.Length >= _options.MaxSegmentBytes) CloseActive();
        }
    }

    public void Flush()
    {
        lock (_appendLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _active?.Flush();
        }
    }

    public ProvenanceResult Search(string text, int limit = 10)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ranked = Rank(text, Math.Max(1, limit), _options.AttributionThreshold);
        return ranked.Count == 0
            ? new ProvenanceResult(ProvenanceResult.NoMatch, [])
            : new ProvenanceResult(ProvenanceResult.Attributed, ranked);
    }

    /// <summary>Verified candidates scoring at least minScore, best first; the evaluation calls it with no floor.</summary>
    internal List<ProvenanceMatch> Rank(string text, int limit, double minScore)
    {
        var query = _fingerprinter.ForQuery(text);
        var results = new List<ProvenanceMatch>();
        if (query.Length == 0) return results;

        _gate.EnterReadLock();
        try
        {
            var cutoff = CutoffTicks();
            // Fingerprints common to a large share of the index say little about any one entry; dropping them from both
            // the matches and the span keeps search time bounded and the score honest.
            var kept = 0;
            for (var i = 0; i < query.Length; i++)
            {
                if (_postings.LengthOf(query[i]) <= _options.MaxPostingsPerFingerprint) query[kept++] = query[i];
            }

            var positions = query.AsSpan(0, kept);
            var counts = new Dictionary<int, int>();
            foreach (var fp in positions)
            {
                foreach (var id in _postings.EntriesOf(fp))
                {
                    if (!IsLive(id, cutoff)) continue;
                    ref var c = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, id, out _);
                    c++;
                }
            }

            var candidates = TopCandidates(counts);
            if (candidates.Count == 0) return results;

            var slotOf = new Dictionary<int, int>(candidates.Count);
            var hits = new List<int>[candidates.Count];
            for (var s = 0; s < candidates.Count; s++)
            {
                slotOf[candidates[s]] = s;
                hits[s] = new List<int>(counts[candidates[s]]);
            }

            for (var pos = 0; pos < positions.Length; pos++)
            {
                foreach (var id in _postings.EntriesOf(positions[pos]))
                {
                    if (slotOf.TryGetValue(id, out var s)) hits[s].Add(pos);
                }
            }

            for (var s = 0; s < candidates.Count; s++)
            {
                var (score, fraction) = _scorer.Score(CollectionsMarshal.AsSpan(hits[s]), positions.Length);
                if (score >= minScore && score > 0) results.Add(_entries.ToMatch(candidates[s], score, fraction));
            }
        }
        finally
        {
            _gate.ExitReadLock();
        }

        results.Sort(static (a, b) => b.Score.CompareTo(a.Score) is var byScore and not 0 ? byScore : a.ServedAt.CompareTo(b.ServedAt));
        if (results.Count > limit) results.RemoveRange(limit, results.Count - limit);
        return results;
    }

    public void Dispose()
    {
        lock (_appendLock)
        {
            if (_disposed) return;
            _disposed = true;
            _flushTimer.Dispose();
            _active?.Dispose();
            _active = null;
        }

        _gate.Dispose();
    }

    private List<int> TopCandidates(Dictionary<int, int> counts)
    {
        var candidates = new List<int>();
        foreach (var (id, count) in counts)
        {
            if (count >= _options.MinMatches) candidates.Add(id);
        }

        if (candidates.Count > _options.MaxCandidates)
        {
            candidates.Sort((a, b) => counts[b].CompareTo(counts[a]));
            candidates.RemoveRange(_options.MaxCandidates, candidates.Count - _options.MaxCandidates);
        }

        return candidates;
    }

    private bool IsLive(int id, long cutoffTicks) => !_entries.IsDropped(id) && _entries.ServedAtTicks(id) >= cutoffTicks;

    private long CutoffTicks() => (_time.GetUtcNow() - TimeSpan.FromDays(_options.RetentionDays)).UtcTicks;

    private Span<byte> RequestScratch(string requestId) =>
        requestId.Length * 3 <= _requestScratch.Length ? _requestScratch : new byte[requestId.Length * 3];

    private void Load()
    {
        var cutoff = CutoffTicks();
        var files = new List<(long Sequence, string Path)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(_options.Directory, "*" + SegmentFormat.FileExtension))
        {
            if (SegmentFormat.TryParseSequence(path, out var sequence)) files.Add((sequence, path));
        }

        files.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        foreach (var (sequence, path) in files)
        {
            _nextSequence = Math.Max(_nextSequence, sequence + 1);
            var info = new SegmentInfo(path, _entries.Count);
            var scan = SegmentReader.Read(path, (in StoredEntry entry) =>
            {
                if (entry.ServedAtTicks < cutoff) return;
                var id = _entries.Add(entry.OrgId, entry.KeyId, entry.Model, entry.RequestIdUtf8, entry.ServedAtTicks);
                var fps = MemoryMarshal.Cast<byte, uint>(entry.Fingerprints);
                foreach (var fp in fps) _postings.Add(BitConverter.IsLittleEndian ? fp : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(fp), id);
                info.Include(id, entry.ServedAtTicks);
            });

            if (scan.Entries == 0 || scan.MaxServedAtTicks < cutoff)
            {
                File.Delete(path);
                continue;
            }

            _segments.Add(info);
        }
    }

    private SegmentWriter ActiveSegment()
    {
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        if (_active is not null && _active.Day != today) CloseActive();
        if (_active is null)
        {
            var path = Path.Combine(_options.Directory, SegmentFormat.FileName(_nextSequence++));
            _active = SegmentWriter.Create(path, today);
            _activeInfo = new SegmentInfo(path, _entries.Count);
            _segments.Add(_activeInfo);
        }

        return _active;
    }

    private void CloseActive()
    {
        _active?.Dispose();
        _active = null;
        _activeInfo = null;
    }

    private void FlushOnTimer()
    {
        lock (_appendLock)
        {
            if (_disposed) return;
            try
            {
                _active?.Flush();
                ApplyRetention();
            }
            catch (IOException)
            {
                // The disk may be full or briefly unavailable; the buffered tail stays in memory and the next tick retries.
            }
        }
    }

    /// <summary>Deletes closed segments whose newest entry is past retention and forgets their entries.</summary>
    internal void ApplyRetention()
    {
        lock (_appendLock)
        {
            var cutoff = CutoffTicks();
            for (var i = _segments.Count - 1; i >= 0; i--)
            {
                var segment = _segments[i];
                if (ReferenceEquals(segment, _activeInfo) || segment.MaxServedAtTicks >= cutoff) continue;
                File.Delete(segment.Path);
                _segments.RemoveAt(i);
                _gate.EnterWriteLock();
                try { _entries.Drop(segment.FirstEntry, segment.EndEntry); }
                finally { _gate.ExitWriteLock(); }
            }
        }
    }

    /// <summary>A segment file and the contiguous entry ids it holds.</summary>
    private sealed class SegmentInfo(string path, int firstEntry)
    {
        public string Path { get; } = path;
        public int FirstEntry { get; } = firstEntry;
        public int EndEntry { get; private set; } = firstEntry;
        public long MaxServedAtTicks { get; private set; }

        public void Include(int id, long servedAtTicks)
        {
            EndEntry = id + 1;
            MaxServedAtTicks = Math.Max(MaxServedAtTicks, servedAtTicks);
        }
    }
}
