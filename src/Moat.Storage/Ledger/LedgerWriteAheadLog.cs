using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Moat.Core.Ledger;

namespace Moat.Storage;

/// <summary>A place in the write-ahead log: a segment file's number and a byte offset in it.</summary>
internal readonly record struct WalPosition(long Segment, long Offset) : IComparable<WalPosition>
{
    public int CompareTo(WalPosition other) =>
        Segment != other.Segment ? Segment.CompareTo(other.Segment) : Offset.CompareTo(other.Offset);

    public static bool operator <(WalPosition left, WalPosition right) => left.CompareTo(right) < 0;

    public static bool operator >(WalPosition left, WalPosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(WalPosition left, WalPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(WalPosition left, WalPosition right) => left.CompareTo(right) >= 0;
}

/// <summary>A committed log entry handed on in log order: a record and where it ends, or a flush marker.</summary>
internal readonly record struct WalEntry(UsageRecord? Record, TaskCompletionSource? Marker, WalPosition End);

/// <summary>
/// The ledger's local write-ahead log: append-only segment files of CRC-framed records under one directory. Appends
/// are group-committed: one thread writes everything appended since its last pass with one write and one fsync, then
/// releases all of that batch's waiters together and hands the entries on (in log order) to the database writer. The
/// writer reports what it committed with <see cref="Checkpoint"/>; segments wholly before the checkpoint are deleted.
/// Opening the log truncates a torn tail (a frame cut short or failing its CRC) and returns the records after the
/// checkpoint, which may or may not be in the database already.
/// </summary>
internal sealed partial class LedgerWriteAheadLog : IDisposable
{
    private const string SegmentExtension = ".wal";
    private const string CheckpointFile = "checkpoint";
    private const string LockFile = "lock";
    private const int CheckpointSize = 20;

    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly ILogger _logger;
    private readonly Action<List<WalEntry>> _committed;
    private readonly Action<int, TimeSpan>? _observeCommit;

    // Null: fsync every group commit before acknowledging. Otherwise: acknowledge once written to the OS (a process
    // crash loses nothing) and fsync at most this often (a power loss loses at most this window).
    private readonly TimeSpan? _syncInterval;
    private long _lastSync = Stopwatch.GetTimestamp();
    private bool _dirty;
    private readonly FileStream _lock;
    private readonly Lock _gate = new();
    // No spinning before the committer blocks: on a small machine a spinning waiter takes the core the request threads
    // (and the appends it waits for) need. Set and reset only under _gate, together with _signalled.
    private readonly ManualResetEventSlim _signal = new(initialState: false, spinCount: 0);
    private readonly Thread _committer;

    // Guarded by _gate: what the next pass writes.
    private ArrayBufferWriter<byte> _pendingBytes = new(64 * 1024);
    private List<(UsageRecord? Record, TaskCompletionSource? Marker, int EndInBatch)> _pendingEntries = [];
    private TaskCompletionSource _pendingDone = NewBatch();
    private bool _signalled;
    private bool _closing;
    private bool _abandoned;

    // Owned by the committer thread.
    private ArrayBufferWriter<byte> _spareBytes = new(64 * 1024);
    private List<(UsageRecord? Record, TaskCompletionSource? Marker, int EndInBatch)> _spareEntries = [];
    private SafeFileHandle _active;
    private long _activeSegment;
    private long _activeLength;

    private WalPosition _checkpoint;

    private LedgerWriteAheadLog(string directory, long segmentBytes, ILogger logger, Action<List<WalEntry>> committed, Action<int, TimeSpan>? observeCommit, FileStream lockFile, TimeSpan? syncInterval)
    {
        _syncInterval = syncInterval;
        _observeCommit = observeCommit;
        _directory = directory;
        _segmentBytes = segmentBytes;
        _logger = logger;
        _committed = committed;
        _lock = lockFile;
        _active = null!;
        _committer = new Thread(RunCommitter) { IsBackground = true, Name = "moat-ledger-wal" };
    }

    /// <summary>Records found after the checkpoint when the log was opened, each with the position where it ends.</summary>
    public IReadOnlyList<(UsageRecord Record, WalPosition End)> Unapplied { get; private set; } = [];

    /// <summary>Bytes cut from the end of the log when it was opened (a torn final write).</summary>
    public long TruncatedBytes { get; private set; }

    public string Directory => _directory;

    /// <summary>
    /// Opens (or creates) the log in <paramref name="directory"/>, taking an exclusive lock on it, and starts the
    /// committer. <paramref name="committed"/> runs on the committer thread after each fsync, with that batch's entries;
    /// <paramref name="observeCommit"/> gets each commit's record count and write-plus-fsync time. With a
    /// <paramref name="syncInterval"/>, appends complete once written to the operating system and the file is fsynced
    /// at most that often (and on rotation and close) instead of on every commit.
    /// </summary>
    public static LedgerWriteAheadLog Open(string directory, long segmentBytes, ILogger logger, Action<List<WalEntry>> committed, Action<int, TimeSpan>? observeCommit = null, TimeSpan? syncInterval = null, TimeSpan lockWait = default)
    {
        System.IO.Directory.CreateDirectory(directory);
        var lockFile = TakeLock(directory, logger, lockWait);
        var log = new LedgerWriteAheadLog(directory, segmentBytes, logger, committed, observeCommit, lockFile, syncInterval);
        try
        {
            log.Recover();
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
        log._committer.Start();
        return log;
    }

    // FileShare.None takes an advisory lock on Unix: two processes appending to one log would corrupt it. A process that
    // still holds it may be on its way out (a restart), so the lock is retried for up to lockWait before giving up.
    private static FileStream TakeLock(string directory, ILogger logger, TimeSpan lockWait)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var said = false;
        while (true)
        {
            try
            {
                return new FileStream(Path.Combine(directory, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException exception) when (waited.Elapsed >= lockWait)
            {
                throw new InvalidOperationException($"The ledger write-ahead directory '{directory}' is in use by another process (waited {waited.Elapsed.TotalSeconds:F0} s); give each Moat process its own data directory.", exception);
            }
            catch (IOException)
            {
                if (!said)
                {
                    LogWaitingForLock(logger, directory, lockWait.TotalSeconds);
                    said = true;
                }
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>Appends a record; completes once it is on disk.</summary>
    public Task AppendAsync(UsageRecord record)
    {
        lock (_gate)
        {
            ThrowIfClosed();
            UsageRecordCodec.WriteFrame(_pendingBytes, record);
            _pendingEntries.Add((record, null, _pendingBytes.WrittenCount));
            SignalLocked();
            return _pendingDone.Task;
        }
    }

    /// <summary>Passes <paramref name="marker"/> on to the database writer behind every record appended before it.</summary>
    public void AppendMarker(TaskCompletionSource marker)
    {
        lock (_gate)
        {
            ThrowIfClosed();
            _pendingEntries.Add((null, marker, _pendingBytes.WrittenCount));
            SignalLocked();
        }
    }

    /// <summary>Records that everything up to <paramref name="position"/> is in the database; deletes segments before it.</summary>
    public void Checkpoint(WalPosition position)
    {
        lock (_gate)
        {
            if (position <= _checkpoint)
            {
                return;
            }
            _checkpoint = position;
        }
        // No fsync: a lost checkpoint only means replaying records the database writer then recognises by request id.
        Span<byte> bytes = stackalloc byte[CheckpointSize];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, position.Segment);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], position.Offset);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[16..], Crc32.HashToUInt32(bytes[..16]));
        var temporary = Path.Combine(_directory, CheckpointFile + ".tmp");
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        {
            file.Write(bytes);
        }
        File.Move(temporary, Path.Combine(_directory, CheckpointFile), overwrite: true);
        foreach (var (segment, path) in ListSegments(_directory))
        {
            if (segment < position.Segment)
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>Commits what is pending, stops the committer and accepts no more appends.</summary>
    public void CompleteAppends()
    {
        lock (_gate)
        {
            _closing = true;
            SignalLocked();
        }
        if (_committer.IsAlive && Thread.CurrentThread != _committer)
        {
            _committer.Join();
        }
    }

    public void Dispose()
    {
        CompleteAppends();
        _active.Dispose();
        _lock.Dispose();
        _signal.Dispose();
    }

    /// <summary>True once <see cref="Abandon"/> has marked the log (tests wait for it before letting the committer go).</summary>
    internal bool IsAbandoned
    {
        get
        {
            lock (_gate)
            {
                return _abandoned;
            }
        }
    }

    /// <summary>Test hook for a crash: drops pending appends and closes the files without committing anything more.</summary>
    internal void Abandon()
    {
        lock (_gate)
        {
            _abandoned = true;
            _closing = true;
            SignalLocked();
        }
        _committer.Join();
        _active.Dispose();
        _lock.Dispose();
    }

    private static TaskCompletionSource NewBatch() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void ThrowIfClosed()
    {
        if (_closing)
        {
            throw new InvalidOperationException("The ledger write-ahead log is closed and accepts no more records.");
        }
    }

    private void SignalLocked()
    {
        if (!_signalled)
        {
            _signalled = true;
            _signal.Set();
        }
    }

    private void RunCommitter()
    {
        while (true)
        {
            if (_syncInterval is { } interval)
            {
                if (!_signal.Wait(interval))
                {
                    SyncIfDirty();
                    continue;
                }
            }
            else
            {
                _signal.Wait();
            }
            ArrayBufferWriter<byte> bytes;
            List<(UsageRecord? Record, TaskCompletionSource? Marker, int EndInBatch)> entries;
            TaskCompletionSource done;
            bool closing;
            lock (_gate)
            {
                _signalled = false;
                _signal.Reset();
                closing = _closing;
                if (_abandoned)
                {
                    _pendingDone.TrySetException(new IOException("The ledger write-ahead log was abandoned."));
                    return;
                }
                bytes = _pendingBytes;
                entries = _pendingEntries;
                done = _pendingDone;
                _pendingBytes = _spareBytes;
                _pendingEntries = _spareEntries;
                _pendingDone = NewBatch();
            }

            Commit(bytes, entries, done);
            bytes.ResetWrittenCount();
            entries.Clear();
            _spareBytes = bytes;
            _spareEntries = entries;
            if (closing)
            {
                SyncIfDirty();
                return;
            }
        }
    }

    /// <summary>Buffered mode: fsyncs what was written since the last sync.</summary>
    private void SyncIfDirty()
    {
        if (!_dirty)
        {
            return;
        }
        try
        {
            RandomAccess.FlushToDisk(_active);
            _dirty = false;
            _lastSync = Stopwatch.GetTimestamp();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            LogSyncFailed(_logger, exception);
        }
    }

    private void Commit(ArrayBufferWriter<byte> bytes, List<(UsageRecord? Record, TaskCompletionSource? Marker, int EndInBatch)> entries, TaskCompletionSource done)
    {
        if (entries.Count == 0)
        {
            done.TrySetResult();
            return;
        }
        var start = _activeLength;
        var segment = _activeSegment;
        if (bytes.WrittenCount > 0)
        {
            try
            {
                // Real elapsed time on purpose (a metric of disk latency), not the injected clock of the domain logic.
                var started = Stopwatch.GetTimestamp();
                RandomAccess.Write(_active, bytes.WrittenSpan, start);
                if (_syncInterval is not { } interval)
                {
                    RandomAccess.FlushToDisk(_active);
                }
                else if (Stopwatch.GetElapsedTime(_lastSync) >= interval)
                {
                    RandomAccess.FlushToDisk(_active);
                    _dirty = false;
                    _lastSync = Stopwatch.GetTimestamp();
                }
                else
                {
                    _dirty = true;
                }
                _activeLength += bytes.WrittenCount;
                _observeCommit?.Invoke(entries.Count, Stopwatch.GetElapsedTime(started));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Cut off whatever part of the batch reached the file, so later frames are not stranded behind a torn one.
                LogAppendFailed(_logger, entries.Count, exception);
                TryTruncate(start);
                done.TrySetException(exception);
                PassOnMarkersOnly(entries);
                return;
            }
        }
        done.TrySetResult();

        var committed = new List<WalEntry>(entries.Count);
        foreach (var (record, marker, endInBatch) in entries)
        {
            committed.Add(new WalEntry(record, marker, new WalPosition(segment, start + endInBatch)));
        }
        _committed(committed);

        if (_activeLength >= _segmentBytes)
        {
            Rotate();
        }
    }

    private void PassOnMarkersOnly(List<(UsageRecord? Record, TaskCompletionSource? Marker, int EndInBatch)> entries)
    {
        var markers = new List<WalEntry>();
        foreach (var (_, marker, _) in entries)
        {
            if (marker is not null)
            {
                markers.Add(new WalEntry(null, marker, default));
            }
        }
        if (markers.Count > 0)
        {
            _committed(markers);
        }
    }

    private void TryTruncate(long length)
    {
        try
        {
            RandomAccess.SetLength(_active, length);
        }
        catch (IOException exception)
        {
            LogTruncateFailed(_logger, length, exception);
        }
    }

    private void Rotate()
    {
        try
        {
            var next = OpenSegment(_activeSegment + 1);
            SyncIfDirty();
            _active.Dispose();
            _active = next;
            _activeSegment++;
            _activeLength = 0;
        }
        catch (IOException exception)
        {
            // Keep appending to the current segment; rotation is retried after the next commit.
            LogRotateFailed(_logger, exception);
        }
    }

    private SafeFileHandle OpenSegment(long segment) =>
        File.OpenHandle(SegmentPath(segment), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);

    private string SegmentPath(long segment) =>
        Path.Combine(_directory, segment.ToString("D19", CultureInfo.InvariantCulture) + SegmentExtension);

    private static List<(long Segment, string Path)> ListSegments(string directory)
    {
        var segments = new List<(long, string)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*" + SegmentExtension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var segment))
            {
                segments.Add((segment, path));
            }
        }
        segments.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return segments;
    }

    /// <summary>Reads the checkpoint, collects the records after it, truncates a torn tail and opens the segment to append to.</summary>
    private void Recover()
    {
        _checkpoint = ReadCheckpoint();
        var segments = ListSegments(_directory);
        var unapplied = new List<(UsageRecord, WalPosition)>();
        var checkpointBeyondEnd = false;
        for (var i = 0; i < segments.Count; i++)
        {
            var (segment, path) = segments[i];
            if (segment < _checkpoint.Segment)
            {
                continue;
            }
            var isLast = i == segments.Count - 1;
            var data = File.ReadAllBytes(path);
            var offset = segment == _checkpoint.Segment ? _checkpoint.Offset : 0;
            if (offset > data.Length)
            {
                // The checkpoint points past the file (the file was cut by hand?): read it all, duplicates are recognised.
                LogCheckpointBeyondEnd(_logger, path, offset, data.Length);
                offset = 0;
                checkpointBeyondEnd = true;
            }
            var start = (int)offset;
            var position = start;
            while (position < data.Length)
            {
                var size = UsageRecordCodec.TryReadFrame(data.AsSpan(position), out var record);
                if (size <= 0)
                {
                    break;
                }
                position += size;
                unapplied.Add((record!, new WalPosition(segment, position)));
            }
            if (position < data.Length)
            {
                if (isLast)
                {
                    // A crash during the last write leaves a partial frame; nobody was told it was written.
                    TruncatedBytes = data.Length - position;
                    using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
                    RandomAccess.SetLength(handle, position);
                    LogTornTailTruncated(_logger, path, TruncatedBytes);
                }
                else
                {
                    LogCorruptSegment(_logger, path, position, data.Length - position);
                }
            }
        }
        Unapplied = unapplied;

        // New records never go below the checkpoint: that part of the log counts as already in the database.
        _activeSegment = segments.Count > 0 && segments[^1].Segment >= _checkpoint.Segment
            ? segments[^1].Segment
            : Math.Max(1, _checkpoint.Segment + 1);
        _active = OpenSegment(_activeSegment);
        _activeLength = RandomAccess.GetLength(_active);
        if (_activeLength >= _segmentBytes || checkpointBeyondEnd)
        {
            Rotate();
        }
    }

    private WalPosition ReadCheckpoint()
    {
        var path = Path.Combine(_directory, CheckpointFile);
        if (!File.Exists(path))
        {
            return default;
        }
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != CheckpointSize || Crc32.HashToUInt32(bytes.AsSpan(0, 16)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)))
        {
            // Replaying from the oldest segment is safe: records already in the database are recognised by request id.
            LogCheckpointUnreadable(_logger, path);
            return default;
        }
        return new WalPosition(BinaryPrimitives.ReadInt64LittleEndian(bytes), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)));
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Ledger write-ahead log '{Path}' ended in a torn write; truncated {Bytes} bytes")]
    private static partial void LogTornTailTruncated(ILogger logger, string path, long bytes);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Ledger write-ahead segment '{Path}' is corrupt at offset {Offset}; {Bytes} bytes after it are skipped")]
    private static partial void LogCorruptSegment(ILogger logger, string path, int offset, int bytes);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Ledger write-ahead checkpoint '{Path}' is unreadable; replaying every segment")]
    private static partial void LogCheckpointUnreadable(ILogger logger, string path);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Ledger write-ahead checkpoint offset {Offset} is beyond the end of '{Path}' ({Length} bytes); replaying the whole segment")]
    private static partial void LogCheckpointBeyondEnd(ILogger logger, string path, long offset, int length);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Error, Message = "Appending {Records} ledger records to the write-ahead log failed; their writers see the error")]
    private static partial void LogAppendFailed(ILogger logger, int records, Exception exception);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Error, Message = "Could not truncate the ledger write-ahead log back to {Length} bytes after a failed append")]
    private static partial void LogTruncateFailed(ILogger logger, long length, Exception exception);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Warning, Message = "Could not start a new ledger write-ahead segment; still appending to the current one")]
    private static partial void LogRotateFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Error, Message = "Could not fsync the ledger write-ahead log; retrying at the next interval")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3109, Level = LogLevel.Warning, Message = "Ledger write-ahead directory '{Path}' is locked by another process; waiting up to {Seconds} s for it to exit")]
    private static partial void LogWaitingForLock(ILogger logger, string path, double seconds);
}
