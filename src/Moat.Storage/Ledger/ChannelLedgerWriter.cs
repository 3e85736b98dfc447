using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Core.Ledger;
using Moat.Core.Sinks;
using Moat.Storage.Entities;

namespace Moat.Storage;

/// <summary>
/// The usage ledger: a <see cref="BoundedSink{T}"/> (policy Wait) the request path writes to, drained by one background writer in batched
/// transactions. Nothing is dropped: a full queue makes producers wait, a failed batch is retried until it lands,
/// and shutdown drains the queue before the host stops. With <see cref="LedgerDurability.Wal"/> a write first goes to
/// a local write-ahead log and completes once fsynced; the log feeds the queue in order, the writer checkpoints it
/// after each committed batch, and on start whatever the log holds beyond the checkpoint is written to the database
/// (skipping request ids already there), so a crash loses nothing that was acknowledged.
/// </summary>
public sealed partial class ChannelLedgerWriter : BackgroundService, ILedgerSink
{
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly BoundedSink<LedgerItem> _sink;
    private readonly IDbContextFactory<MoatDbContext> _contexts;
    private readonly TimeProvider _time;
    private readonly ILogger<ChannelLedgerWriter> _logger;
    private readonly LedgerMetrics _metrics;
    private readonly int _batchSize;
    private readonly LedgerOptions _ledgerOptions;
    private readonly string _walDirectory;
    private readonly Lock _startGate = new();
    private readonly List<UsageRecord> _records;
    private LedgerWriteAheadLog? _wal;
    private Task? _replay;

    public ChannelLedgerWriter(
        IDbContextFactory<MoatDbContext> contexts,
        IOptions<StorageOptions> options,
        IOptions<LedgerOptions> ledgerOptions,
        TimeProvider time,
        IMeterFactory meterFactory,
        ILogger<ChannelLedgerWriter> logger)
    {
        var settings = options.Value;
        _ledgerOptions = ledgerOptions.Value;
        _walDirectory = _ledgerOptions.ResolveWalDirectory(settings);
        _contexts = contexts;
        _time = time;
        _logger = logger;
        _batchSize = settings.LedgerBatchSize;
        _records = new List<UsageRecord>(_batchSize);
        // The ledger never drops: a full queue makes the writer wait (back-pressure on the writer, not on a lost record).
        _sink = new BoundedSink<LedgerItem>(
            new BoundedSinkOptions("ledger", settings.LedgerCapacity, SinkFullMode.Wait)
            {
                MaxBatchSize = _batchSize,
                BatchWindow = TimeSpan.FromMilliseconds(settings.LedgerFlushIntervalMs),
            },
            WriteQueuedBatchAsync,
            meterFactory,
            time);
        _metrics = new LedgerMetrics(meterFactory);
    }

    /// <summary>Records queued and not yet written.</summary>
    public int QueueDepth => _sink.Depth;

    /// <summary>The durability in force (<c>Moat:Ledger:Durability</c>).</summary>
    public LedgerDurability Durability => _ledgerOptions.Durability;

    public ValueTask WriteAsync(UsageRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_ledgerOptions.IsWal)
        {
            // The log's batch task is shared by every writer of the batch; the caller's token cannot cancel a write
            // that may already be on disk.
            return new ValueTask(OpenWal().AppendAsync(record));
        }
        return _sink.WriteAsync(new LedgerItem(record, default), cancellationToken);
    }

    /// <summary>Completes when every record written before the call is committed to the database (or the writer has stopped).</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        if (_ledgerOptions.IsWal && _wal is { } wal)
        {
            // A marker enters the log's stream behind records appended but not yet fsynced; it completes once the
            // committer has queued everything in front of it, so the queue's idle then covers them too.
            var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                wal.AppendMarker(marker);
                await marker.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // The log is closed: the host is stopping and the queue is draining.
            }
        }
        await _sink.WhenIdleAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes once the database holds every record acknowledged so far: whatever a previous run left in the
    /// write-ahead log, and (when the writer runs) everything written since. Readers of totals call it first.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken = default)
    {
        await EnsureReplayedAsync(cancellationToken).ConfigureAwait(false);
        if (ExecuteTask is { IsCompleted: false })
        {
            await WhenIdleAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Records a crashed run acknowledged reach the database before anything reads totals or new records queue behind them.
        await EnsureReplayedAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Accept no more records (the log commits what it holds and queues it), then let the writer drain the queue
        // for as long as the host allows. Whatever is left stays in the log for the next start.
        _wal?.CompleteAppends();
        _sink.Complete();
        try
        {
            if (ExecuteTask is { } running)
            {
                await running.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            LogDrainAbandoned(_logger, _sink.Depth);
        }
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _wal?.Dispose();
    }

    public override void Dispose()
    {
        // Completing the queue first frees a committer that waits on a full queue nobody drains any more.
        _sink.Complete();
        _wal?.Dispose();
        base.Dispose();
    }

    /// <summary>Test hook for a crash: closes the write-ahead log without committing or checkpointing anything more.</summary>
    internal void AbandonWal() => _wal?.Abandon();

    private LedgerWriteAheadLog OpenWal()
    {
        if (_wal is { } wal)
        {
            return wal;
        }
        lock (_startGate)
        {
            return _wal ??= LedgerWriteAheadLog.Open(_walDirectory, _ledgerOptions.WalSegmentBytes, _logger, EnqueueCommitted, _metrics.WalCommitted, _ledgerOptions.SyncInterval, TimeSpan.FromSeconds(_ledgerOptions.WalLockWaitSeconds));
        }
    }

    private Task EnsureReplayedAsync(CancellationToken cancellationToken)
    {
        lock (_startGate)
        {
            // Shared by the host's start and early readers; not cancelled by either (a half-done replay is redone anyway).
            return (_replay ??= ReplayAsync()).WaitAsync(cancellationToken);
        }
    }

    private async Task ReplayAsync()
    {
        await Task.Yield();
        LedgerWriteAheadLog wal;
        if (_ledgerOptions.IsWal)
        {
            wal = OpenWal();
        }
        else if (Directory.Exists(_walDirectory))
        {
            // Durability was switched to Memory: still deliver what the log of an earlier run holds.
            wal = LedgerWriteAheadLog.Open(_walDirectory, _ledgerOptions.WalSegmentBytes, _logger, static _ => { }, lockWait: TimeSpan.FromSeconds(_ledgerOptions.WalLockWaitSeconds));
        }
        else
        {
            return;
        }
        try
        {
            var unapplied = wal.Unapplied;
            var batch = new List<UsageRecord>(_batchSize);
            for (var start = 0; start < unapplied.Count; start += _batchSize)
            {
                batch.Clear();
                var end = Math.Min(unapplied.Count, start + _batchSize);
                for (var i = start; i < end; i++)
                {
                    batch.Add(unapplied[i].Record);
                }
                await WriteBatchAsync(batch, skipExisting: true, CancellationToken.None).ConfigureAwait(false);
                Checkpoint(wal, unapplied[end - 1].End);
            }
            if (unapplied.Count > 0)
            {
                LogReplayed(_logger, unapplied.Count, wal.Directory);
            }
        }
        finally
        {
            if (!_ledgerOptions.IsWal)
            {
                wal.Dispose();
            }
        }
    }

    /// <summary>Runs on the log's committer thread: queues a committed batch in log order, waiting while the queue is full.</summary>
    private void EnqueueCommitted(List<WalEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (entry.Marker is { } marker)
            {
                // Everything in front of the marker is queued now (or, shutting down, stays in the log for the next start).
                marker.TrySetResult();
                continue;
            }
            var item = new LedgerItem(entry.Record!, entry.End);
            if (_sink.TryWrite(item))
            {
                continue;
            }
            try
            {
                _sink.WriteAsync(item).AsTask().GetAwaiter().GetResult();
            }
            catch (InvalidOperationException)
            {
                // Shutting down: the record is in the log and is written on the next start.
            }
        }
    }

    private void Checkpoint(LedgerWriteAheadLog wal, WalPosition position)
    {
        try
        {
            wal.Checkpoint(position);
        }
        catch (IOException exception)
        {
            // Harmless for correctness: the next start replays more and skips what the database already has.
            LogCheckpointFailed(_logger, exception);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // stoppingToken fires only after StopAsync gave up draining; until then the loop ends by the queue completing.
        await _sink.RunAsync(stoppingToken).ConfigureAwait(false);
        if (_sink.Abandoned > 0)
        {
            LogRecordsLost(_logger, _sink.Abandoned);
        }
    }

    /// <summary>The sink's consumer: one transaction per batch, then the log's checkpoint behind it.</summary>
    private async ValueTask WriteQueuedBatchAsync(IReadOnlyList<LedgerItem> items, CancellationToken stoppingToken)
    {
        _records.Clear();
        var batchEnd = default(WalPosition);
        foreach (var item in items)
        {
            _records.Add(item.Record);
            if (item.End > batchEnd)
            {
                batchEnd = item.End;
            }
        }
        await WriteBatchAsync(_records, skipExisting: false, stoppingToken).ConfigureAwait(false);
        _records.Clear();
        if (_wal is { } wal && batchEnd != default)
        {
            Checkpoint(wal, batchEnd);
        }
    }

    private UsageRecordBulkInsert? _bulkInsert;

    /// <summary>
    /// Writes one batch in one transaction, retrying with backoff until it commits (or the host gives up). Replayed
    /// batches, and every retry (the failed attempt may have committed before its connection broke), skip records
    /// whose request id is already in the table, so neither a crash nor an ambiguous commit writes a row twice.
    /// </summary>
    private async Task WriteBatchAsync(List<UsageRecord> batch, bool skipExisting, CancellationToken stoppingToken)
    {
        var started = _time.GetTimestamp();
        var lastUsed = LastUsedByKey(batch);
        var backoff = InitialBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await _contexts.CreateDbContextAsync(stoppingToken).ConfigureAwait(false);
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                await using var transaction = await db.Database.BeginTransactionAsync(stoppingToken).ConfigureAwait(false);
                // Fresh entities per attempt: a failed attempt may have assigned database ids to the previous ones.
                var entities = new UsageRecordEntity[batch.Count];
                for (var i = 0; i < batch.Count; i++)
                {
                    entities[i] = ToEntity(batch[i]);
                }
                _bulkInsert ??= UsageRecordBulkInsert.For(db);
                await _bulkInsert.InsertAsync(db, entities, skipExisting || attempt > 1, stoppingToken).ConfigureAwait(false);
                foreach (var (keyId, at) in lastUsed)
                {
                    await db.ApiKeys
                        .Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < at))
                        .ExecuteUpdateAsync(update => update.SetProperty(k => k.LastUsedAt, at), stoppingToken)
                        .ConfigureAwait(false);
                }
                await transaction.CommitAsync(stoppingToken).ConfigureAwait(false);
                _metrics.BatchWritten(batch.Count, _time.GetElapsedTime(started));
                if (attempt > 1)
                {
                    LogBatchRecovered(_logger, batch.Count, attempt);
                }
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                _metrics.WriteFailed();
                LogBatchFailed(_logger, batch.Count, attempt, backoff.TotalMilliseconds, exception);
            }
            await Task.Delay(backoff, _time, stoppingToken).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>The latest timestamp per key in a batch, in key order (a stable lock order across replicas).</summary>
    private static SortedDictionary<string, DateTimeOffset> LastUsedByKey(List<UsageRecord> batch)
    {
        var lastUsed = new SortedDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var record in batch)
        {
            var at = record.Timestamp.ToUniversalTime();
            if (!lastUsed.TryGetValue(record.KeyId, out var seen) || at > seen)
            {
                lastUsed[record.KeyId] = at;
            }
        }
        return lastUsed;
    }

    private static UsageRecordEntity ToEntity(UsageRecord record)
    {
        var timestamp = record.Timestamp.ToUniversalTime();
        return new UsageRecordEntity
        {
            RequestId = Clean(record.RequestId),
            OrgId = Clean(record.OrgId),
            KeyId = Clean(record.KeyId),
            Endpoint = Clean(record.Endpoint),
            Model = CleanOrNull(record.Model),
            Stream = record.Stream,
            PromptTokens = record.PromptTokens,
            CompletionTokens = record.CompletionTokens,
            Status = record.Status,
            ErrorCode = CleanOrNull(record.ErrorCode),
            Upstream = CleanOrNull(record.Upstream),
            LatencyMs = double.IsFinite(record.LatencyMs) ? record.LatencyMs : 0,
            Timestamp = timestamp,
            HourBucket = UsageStore.HourBucketOf(timestamp),
            ClientIp = CleanOrNull(record.ClientIp),
            UserAgent = CleanOrNull(record.UserAgent),
            UsageSource = CleanOrNull(record.UsageSource),
            // A row stands for at least one attempt; a zero would hide a request from the usage totals.
            Attempts = Math.Max(1, record.Attempts),
        };
    }

    // PostgreSQL text cannot hold NUL; a client-supplied header with one must not wedge the ledger in retries.
    private static string Clean(string? value) =>
        string.IsNullOrEmpty(value) ? "" : value.Contains('\0', StringComparison.Ordinal) ? value.Replace("\0", "", StringComparison.Ordinal) : value;

    private static string? CleanOrNull(string? value) => value is null ? null : Clean(value);

    /// <summary>A record with where it ends in the write-ahead log (default without one).</summary>
    private readonly record struct LedgerItem(UsageRecord Record, WalPosition End);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Writing a ledger batch of {Records} records failed (attempt {Attempt}); retrying in {BackoffMs} ms")]
    private static partial void LogBatchFailed(ILogger logger, int records, int attempt, double backoffMs, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Ledger batch of {Records} records written after {Attempt} attempts")]
    private static partial void LogBatchRecovered(ILogger logger, int records, int attempt);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Shutdown timed out while draining the ledger; {Records} records still queued")]
    private static partial void LogDrainAbandoned(ILogger logger, int records);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Ledger writer stopped before writing {Records} records")]
    private static partial void LogRecordsLost(ILogger logger, long records);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Replayed {Records} ledger records from the write-ahead log in '{Directory}'")]
    private static partial void LogReplayed(ILogger logger, int records, string directory);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Could not write the ledger write-ahead checkpoint; the next start replays more records")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
