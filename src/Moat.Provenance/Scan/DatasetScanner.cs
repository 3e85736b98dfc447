using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Moat.Provenance.Scan;

/// <summary>
/// Dataset attribution: searches every passage of a leaked dataset, counts per account the passages that land on it
/// (each served output counted once), and weighs each count against the null model: the chance that this many of n
/// never-served passages would land on one account. docs/provenance-scan.md has the method.
/// </summary>
public sealed class DatasetScanner(IProvenanceIndex index, ProvenanceScanOptions options)
{
    private readonly NullModel _null = new(options);

    public NullModel NullModel => _null;

    /// <summary>Scans the passages (read once, in order, on the caller's enumerator) and reports progress every few hundred.</summary>
    public DatasetScanResult Scan(IEnumerable<string> passages, IProgress<ScanProgress>? progress = null, long expectedTotal = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(passages);
        // Normal form hash → the passage that stands for it: the first in dataset order, whichever thread got there first.
        var seen = new Dictionary<ulong, PassageLandings>();
        var received = 0L;
        var scanned = 0L;
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.Parallelism > 0 ? options.Parallelism : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };

        Parallel.ForEach(Numbered(passages), parallel, item =>
        {
            Interlocked.Increment(ref received);
            if (!string.IsNullOrWhiteSpace(item.Text) && Claim(seen, item.Index, item.Text) is { } passage)
            {
                // A duplicate found later (same normal form, so the same ranking) may take the lower index meanwhile.
                passage.Matches = index.Rank(item.Text, options.CandidatesPerPassage, _null.CountThreshold);
            }

            var done = Interlocked.Increment(ref scanned);
            if (progress is not null && done % 256 == 0) progress.Report(new ScanProgress(done, Math.Max(expectedTotal, Volatile.Read(ref received))));
        });

        progress?.Report(new ScanProgress(scanned, scanned));
        return Aggregate(received, [.. seen.Values]);
    }

    private DatasetScanResult Aggregate(long received, List<PassageLandings> landings)
    {
        var distinct = landings.Count;
        // In dataset order, so the first passage to reach a served output is the one that counts for it.
        landings.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        var accounts = new Dictionary<string, AccountTally>(StringComparer.Ordinal);
        var attributed = 0L;
        foreach (var passage in landings)
        {
            var counted = false;
            // Each account's best match that no earlier passage has used (Rank lists best first).
            var done = new HashSet<string>(StringComparer.Ordinal);
            foreach (var match in passage.Matches)
            {
                if (done.Contains(match.OrgId)) continue;
                ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(accounts, match.OrgId, out var exists);
                if (!exists) tally = new AccountTally();
                if (!tally!.UsedRequests.Add(match.RequestId)) continue;
                done.Add(match.OrgId);
                tally.Add(passage.Index, match, _null.FalseMatchProbability(match.Score), options.MaxExamples);
                counted = true;
            }

            if (counted) attributed++;
        }

        var rows = accounts
            .Where(a => a.Value.Passages > 0)
            .Select(a => a.Value.ToAttribution(a.Key, _null.PValue(a.Value.Passages, distinct), _null.ExpectedByChance(distinct)))
            .OrderBy(a => a.PValue)
            .ThenByDescending(a => a.Passages)
            .ThenBy(a => a.OrgId, StringComparer.Ordinal)
            .ToList();
        var verdict = rows.Count > 0 && rows[0].PValue <= options.Significance ? DatasetScanResult.Attributed : DatasetScanResult.Inconclusive;
        var method = new ScanMethod(_null.CountThreshold, _null.PassageRate, options.NullFalseMatches, options.NullNegatives, options.Significance, index.Count);
        return new DatasetScanResult(received, distinct, attributed, verdict, rows, method);
    }

    /// <summary>
    /// The passage to search, the first time its normal form is seen (an exact or reformatted duplicate is one passage,
    /// not two); null for a duplicate, which lowers the kept passage's index to its own when it comes earlier.
    /// </summary>
    private static PassageLandings? Claim(Dictionary<ulong, PassageLandings> seen, long index, string text)
    {
        ulong hash;
        using (var normal = NormalForm.Of(text))
        {
            hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(normal.Span));
        }

        lock (seen)
        {
            if (seen.TryGetValue(hash, out var kept))
            {
                if (index < kept.Index) kept.Index = index;
                return null;
            }

            var passage = new PassageLandings(index);
            seen.Add(hash, passage);
            return passage;
        }
    }

    private static IEnumerable<(long Index, string Text)> Numbered(IEnumerable<string> passages)
    {
        var i = 0L;
        foreach (var passage in passages) yield return (i++, passage);
    }

    private sealed class PassageLandings(long index)
    {
        private long _index = index;

        public long Index
        {
            get => Interlocked.Read(ref _index);
            set => Interlocked.Exchange(ref _index, value);
        }

        public IReadOnlyList<ProvenanceMatch> Matches { get; set; } = [];
    }

    private sealed class AccountTally
    {
        private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);
        private readonly List<ScanExample> _examples = [];
        private DateTimeOffset _first = DateTimeOffset.MaxValue;
        private DateTimeOffset _last = DateTimeOffset.MinValue;

        public HashSet<string> UsedRequests { get; } = new(StringComparer.Ordinal);

        public long Passages { get; private set; }

        public void Add(long passageIndex, ProvenanceMatch match, double falseMatchProbability, int maxExamples)
        {
            Passages++;
            _keys.Add(match.KeyId);
            if (match.ServedAt < _first) _first = match.ServedAt;
            if (match.ServedAt > _last) _last = match.ServedAt;
            if (_examples.Count < maxExamples)
            {
                _examples.Add(new ScanExample(passageIndex, match.RequestId, match.KeyId, match.Model, match.ServedAt, match.Score, falseMatchProbability));
            }
        }

        public AccountAttribution ToAttribution(string orgId, double pValue, double expected) =>
            new(orgId, Passages, expected, pValue, [.. _keys], _first, _last, [.. _examples.OrderByDescending(e => e.Score)]);
    }
}
