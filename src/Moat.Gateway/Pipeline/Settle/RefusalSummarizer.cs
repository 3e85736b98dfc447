using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Moat.Core.Ledger;

namespace Moat.Gateway.Pipeline.Settle;

/// <summary>
/// Keeps a refusal loop from flooding the ledger: the first refusal of a kind (key, status, code) in a minute is
/// recorded in full, the rest of that minute are summed into one row with <see cref="UsageRecord.Attempts"/>,
/// written when the minute is over (checked every few seconds) or on shutdown.
/// </summary>
public sealed class RefusalSummarizer(ILedgerSink ledger, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<RunKey, Run> _runs = new();

    /// <summary>Records a refusal: in full, or counted into the minute's summary row.</summary>
    public async ValueTask RecordAsync(UsageRecord record)
    {
        var minute = record.Timestamp.ToUnixTimeSeconds() / 60;
        var key = new RunKey(record.KeyId, record.Status, record.ErrorCode);
        UsageRecord? summary;
        while (true)
        {
            var run = _runs.GetOrAdd(key, static _ => new Run());
            lock (run)
            {
                if (run.Retired)
                {
                    continue; // removed as idle after we looked it up: take the new one
                }
                if (run.Minute == minute)
                {
                    run.Suppressed++;
                    run.Last = record;
                    return;
                }
                summary = run.TakeSummary();
                run.Minute = minute;
                break;
            }
        }
        if (summary is not null)
        {
            await ledger.WriteAsync(summary).ConfigureAwait(false);
        }
        await ledger.WriteAsync(record).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync(time.GetUtcNow().ToUnixTimeSeconds() / 60).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync flushes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(long.MaxValue).ConfigureAwait(false);
    }

    /// <summary>Writes the summary rows of every minute before <paramref name="currentMinute"/>.</summary>
    internal async Task FlushAsync(long currentMinute)
    {
        foreach (var (key, run) in _runs)
        {
            UsageRecord? summary;
            lock (run)
            {
                if (run.Minute >= currentMinute)
                {
                    continue;
                }
                summary = run.TakeSummary();
                if (summary is null && run.Minute < currentMinute - 5)
                {
                    run.Retired = true;
                    _runs.TryRemove(key, out _);
                }
            }
            if (summary is not null)
            {
                await ledger.WriteAsync(summary).ConfigureAwait(false);
            }
        }
    }

    private readonly record struct RunKey(string KeyId, int Status, string? ErrorCode);

    private sealed class Run
    {
        public long Minute = long.MinValue;
        public int Suppressed;
        public UsageRecord? Last;
        public bool Retired;

        /// <summary>The summary row of the suppressed refusals, or null when there were none. Caller holds the lock.</summary>
        public UsageRecord? TakeSummary()
        {
            if (Suppressed == 0 || Last is null)
            {
                return null;
            }
            var summary = Last with { RequestId = Last.RequestId + "_x" + Suppressed.ToString(System.Globalization.CultureInfo.InvariantCulture), Attempts = Suppressed, LatencyMs = 0 };
            Suppressed = 0;
            Last = null;
            return summary;
        }
    }
}
