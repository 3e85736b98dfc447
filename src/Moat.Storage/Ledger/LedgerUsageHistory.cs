using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Moat.Storage.Entities;
using Moat.Core.Ledger;

namespace Moat.Storage;

/// <summary>
/// Reads back from usage_records what each organisation and key was charged today and in the current rate window,
/// after the ledger has caught up (write-ahead replay included), so a restarted limiter resumes where it stopped.
/// </summary>
internal sealed class LedgerUsageHistory(IDbContextFactory<MoatDbContext> contexts, ChannelLedgerWriter ledger) : ILedgerUsageHistory
{
    public async Task<LedgerUsageTotals> LoadAsync(DateTimeOffset dayStart, DateTimeOffset windowStart, CancellationToken cancellationToken = default)
    {
        await ledger.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var day = dayStart.ToUniversalTime();
        var window = windowStart.ToUniversalTime();
        var from = day < window ? day : window;
        // The hour bucket narrows the scan through its index on both providers; the timestamp makes the edge exact.
        var fromHour = UsageStore.HourBucketOf(from);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var recent = db.UsageRecords.AsNoTracking().Where(r => r.HourBucket >= fromHour && r.Timestamp >= from);
        var organizations = await SumByAsync(recent, r => r.OrgId, day, window, cancellationToken).ConfigureAwait(false);
        var keys = await SumByAsync(recent, r => r.KeyId, day, window, cancellationToken).ConfigureAwait(false);
        return new LedgerUsageTotals(ToDictionary(organizations), ToDictionary(keys));
    }

    /// <summary>Per group: tokens since the day start, and attempts and tokens since the window start (one query).</summary>
    private static Task<List<UsageRow>> SumByAsync(
        IQueryable<UsageRecordEntity> recent, Expression<Func<UsageRecordEntity, string>> group, DateTimeOffset day, DateTimeOffset window,
        CancellationToken cancellationToken) =>
        recent
            .GroupBy(group)
            .Select(g => new UsageRow(
                g.Key,
                g.Sum(r => r.Timestamp >= day ? r.PromptTokens + r.CompletionTokens : 0L),
                g.Sum(r => r.Timestamp >= window ? (long)r.Attempts : 0L),
                g.Sum(r => r.Timestamp >= window ? r.PromptTokens + r.CompletionTokens : 0L)))
            .ToListAsync(cancellationToken);

    private static Dictionary<string, ChargedUsage> ToDictionary(List<UsageRow> rows)
    {
        var totals = new Dictionary<string, ChargedUsage>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            totals[row.Id] = new ChargedUsage(row.TokensToday, row.RequestsInWindow, row.TokensInWindow);
        }
        return totals;
    }

    private sealed record UsageRow(string Id, long TokensToday, long RequestsInWindow, long TokensInWindow);
}
