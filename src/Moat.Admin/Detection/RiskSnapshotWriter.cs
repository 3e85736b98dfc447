using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moat.Admin.Hosting;
using Moat.Detection.Scoring;
using Moat.Storage;
using Moat.Storage.Entities;

namespace Moat.Admin.Detection;

/// <summary>
/// Persists risk snapshots to <c>risk_snapshots</c> in batches. <see cref="Write"/> is called on the detection loop and
/// only enqueues into a bounded channel; when the database falls behind the oldest snapshots are dropped and counted.
/// </summary>
public sealed class RiskSnapshotWriter : BackgroundService, IRiskSnapshotSink
{
    public const int Capacity = 10_000;
    private const int BatchSize = 500;

    private readonly IDbContextFactory<MoatDbContext> _contexts;
    private readonly ILogger<RiskSnapshotWriter> _logger;
    private readonly Channel<RiskSnapshot> _queue;
    private long _written;
    private long _dropped;
    private long _droppedReported;

    public RiskSnapshotWriter(IDbContextFactory<MoatDbContext> contexts, ILogger<RiskSnapshotWriter> logger)
    {
        _contexts = contexts;
        _logger = logger;
        _queue = Channel.CreateBounded<RiskSnapshot>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public long Written => Interlocked.Read(ref _written);

    public void Write(RiskSnapshot snapshot) => _queue.Writer.TryWrite(snapshot);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<RiskSnapshot>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await DrainAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Shutdown: whatever is queued is still written.
        await DrainAsync(batch, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task DrainAsync(List<RiskSnapshot> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < BatchSize && _queue.Reader.TryRead(out var snapshot))
            {
                batch.Add(snapshot);
            }
            if (batch.Count == 0)
            {
                break;
            }
            try
            {
                await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
                foreach (var snapshot in batch)
                {
                    db.RiskSnapshots.Add(new RiskSnapshotEntity
                    {
                        OrgId = snapshot.OrgId,
                        At = snapshot.At,
                        Score = snapshot.Score,
                        Level = RiskWire.Level(snapshot.Level),
                        SignalsJson = snapshot.TopSignal is null ? "[]" : JsonSerializer.Serialize(new[] { snapshot.TopSignal }),
                    });
                }
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _written, batch.Count);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                AdminLog.RiskSnapshotsFailed(_logger, exception, batch.Count);
            }
        }
        var dropped = Interlocked.Read(ref _dropped);
        if (dropped > _droppedReported)
        {
            _droppedReported = dropped;
            AdminLog.RiskSnapshotsDropped(_logger, dropped);
        }
    }
}
