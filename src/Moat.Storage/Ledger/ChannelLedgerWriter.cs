using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Core.Ledger;
using Moat.Storage.Entities;

namespace Moat.Storage;

/// <summary>
/// The usage ledger: a bounded queue the request path writes to, drained by one background writer in batched
/// transactions. Nothing is dropped: a full queue makes producers wait, a failed batch is retried until it lands,
/// and shutdown drains the queue before the host stops.
/// </summary>
public sealed partial class ChannelLedgerWriter : BackgroundService, ILedgerSink
{
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly Channel<LedgerItem> _channel;
    private readonly IDbContextFactory<MoatDbContext> _contexts;
    private readonly TimeProvider _time;
    private readonly ILogger<ChannelLedgerWriter> _logger;
    private readonly LedgerMetrics _metrics;
    private readonly int _batchSize;
    private readonly TimeSpan _flushInterval;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChannelLedgerWriter(
        IDbContextFactory<MoatDbContext> contexts,
        IOptions<StorageOptions> options,
        TimeProvider time,
        IMeterFactory meterFactory,
        ILogger<ChannelLedgerWriter> logger)
    {
        var settings = options.Value;
        _contexts = contexts;
        _time = time;
        _logger = logger;
        _batchSize = settings.LedgerBatchSize;
        _flushInterval = TimeSpan.FromMilliseconds(settings.LedgerFlushIntervalMs);
        _channel = Channel.CreateBounded<LedgerItem>(new BoundedChannelOptions(settings.LedgerCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        _metrics = new LedgerMetrics(meterFactory, () => _channel.Reader.Count);
    }

    /// <summary>Records queued and not yet written.</summary>
    public int QueueDepth => _channel.Reader.Count;

    public ValueTask WriteAsync(UsageRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var item = new LedgerItem(record, null);
        return _channel.Writer.TryWrite(item) ? ValueTask.CompletedTask : WaitAndWriteAsync(item, cancellationToken);
    }

    /// <summary>Completes when every record queued before the call is committed to the database.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        // A marker travels through the queue behind everything written so far; the writer completes it after
        // committing the batch in front of it.
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _channel.Writer.WriteAsync(new LedgerItem(null, marker), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            await _drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        await marker.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Accept no more records, then let the writer drain the queue for as long as the host allows.
        _channel.Writer.TryComplete();
        try
        {
            if (ExecuteTask is { } running)
            {
                await running.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            LogDrainAbandoned(_logger, _channel.Reader.Count);
        }
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // stoppingToken fires only after StopAsync gave up draining; until then the loop ends by the queue completing.
        await Task.Yield();
        var reader = _channel.Reader;
        var batch = new List<UsageRecord>(_batchSize);
        var markers = new List<TaskCompletionSource>();
        Task<bool>? pendingWait = null;
        try
        {
            while (true)
            {
                pendingWait ??= reader.WaitToReadAsync(CancellationToken.None).AsTask();
                if (!await pendingWait.ConfigureAwait(false))
                {
                    break;
                }
                pendingWait = null;

                var batchStarted = _time.GetTimestamp();
                var completed = false;
                while (true)
                {
                    var sawMarker = false;
                    while (batch.Count < _batchSize && reader.TryRead(out var item))
                    {
                        if (item.Marker is { } marker)
                        {
                            markers.Add(marker);
                            sawMarker = true;
                            break;
                        }
                        batch.Add(item.Record!);
                    }
                    if (sawMarker || batch.Count >= _batchSize)
                    {
                        break;
                    }
                    var remaining = _flushInterval - _time.GetElapsedTime(batchStarted);
                    if (remaining <= TimeSpan.Zero)
                    {
                        break;
                    }
                    pendingWait ??= reader.WaitToReadAsync(CancellationToken.None).AsTask();
                    using var delayCancellation = new CancellationTokenSource();
                    var delay = Task.Delay(remaining, _time, delayCancellation.Token);
                    if (await Task.WhenAny(pendingWait, delay).ConfigureAwait(false) != pendingWait)
                    {
                        break;
                    }
                    delayCancellation.Cancel();
                    var more = await pendingWait.ConfigureAwait(false);
                    pendingWait = null;
                    if (!more)
                    {
                        completed = true;
                        break;
                    }
                }

                if (batch.Count > 0)
                {
                    await WriteBatchAsync(batch, stoppingToken).ConfigureAwait(false);
                    batch.Clear();
                }
                foreach (var marker in markers)
                {
                    marker.TrySetResult();
                }
                markers.Clear();
                if (completed)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogRecordsLost(_logger, batch.Count + reader.Count);
        }
        finally
        {
            foreach (var marker in markers)
            {
                marker.TrySetCanceled(stoppingToken);
            }
            _drained.TrySetResult();
        }
    }

    private async ValueTask WaitAndWriteAsync(LedgerItem item, CancellationToken cancellationToken)
    {
        _metrics.BackPressure();
        try
        {
            await _channel.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException exception)
        {
            throw new InvalidOperationException("The usage ledger is shutting down and accepts no more records.", exception);
        }
    }

    /// <summary>Writes one batch in one transaction, retrying with backoff until it commits (or the host gives up).</summary>
    private UsageRecordBulkInsert? _bulkInsert;

    private async Task WriteBatchAsync(List<UsageRecord> batch, CancellationToken stoppingToken)
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
                await _bulkInsert.InsertAsync(db, entities, stoppingToken).ConfigureAwait(false);
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
        };
    }

    // PostgreSQL text cannot hold NUL; a client-supplied header with one must not wedge the ledger in retries.
    private static string Clean(string? value) =>
        string.IsNullOrEmpty(value) ? "" : value.Contains('\0', StringComparison.Ordinal) ? value.Replace("\0", "", StringComparison.Ordinal) : value;

    private static string? CleanOrNull(string? value) => value is null ? null : Clean(value);

    private readonly record struct LedgerItem(UsageRecord? Record, TaskCompletionSource? Marker);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Writing a ledger batch of {Records} records failed (attempt {Attempt}); retrying in {BackoffMs} ms")]
    private static partial void LogBatchFailed(ILogger logger, int records, int attempt, double backoffMs, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Ledger batch of {Records} records written after {Attempt} attempts")]
    private static partial void LogBatchRecovered(ILogger logger, int records, int attempt);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Shutdown timed out while draining the ledger; {Records} records still queued")]
    private static partial void LogDrainAbandoned(ILogger logger, int records);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Ledger writer stopped before writing {Records} records")]
    private static partial void LogRecordsLost(ILogger logger, int records);
}
