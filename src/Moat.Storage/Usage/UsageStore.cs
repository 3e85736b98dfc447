using Microsoft.EntityFrameworkCore;
using Moat.Storage.Entities;

namespace Moat.Storage;

/// <summary>Aggregates the usage ledger for the admin API and the console.</summary>
public sealed class UsageStore(IDbContextFactory<MoatDbContext> contexts)
{
    private const long MillisecondsPerHour = 3_600_000;

    /// <summary>Requests (attempts: a summarised run of refusals counts each one), tokens and errors matching <paramref name="query"/>, one row per hour or day (oldest first) or one row in all.</summary>
    public async Task<IReadOnlyList<UsageBucket>> QueryAsync(UsageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var records = Filter(db.UsageRecords.AsNoTracking(), query);
        if (query.GroupBy == UsageGrouping.None)
        {
            var totals = await records
                .GroupBy(r => 1)
                .Select(g => new
                {
                    Requests = g.Sum(r => (long)r.Attempts),
                    PromptTokens = g.Sum(r => r.PromptTokens),
                    CompletionTokens = g.Sum(r => r.CompletionTokens),
                    Errors = g.Sum(r => r.Status >= 400 ? (long)r.Attempts : 0L),
                })
                .FirstOrDefaultAsync(cancellationToken)
                .ConfigureAwait(false);
            return totals is null
                ? [new UsageBucket(null, 0, 0, 0, 0)]
                : [new UsageBucket(null, totals.Requests, totals.PromptTokens, totals.CompletionTokens, totals.Errors)];
        }

        // Grouping on the stored hour number keeps the query identical and index-friendly on both providers.
        var hoursPerBucket = query.GroupBy == UsageGrouping.Day ? 24L : 1L;
        var rows = await records
            .GroupBy(r => r.HourBucket / hoursPerBucket)
            .Select(g => new
            {
                Bucket = g.Key,
                Requests = g.Sum(r => (long)r.Attempts),
                PromptTokens = g.Sum(r => r.PromptTokens),
                CompletionTokens = g.Sum(r => r.CompletionTokens),
                Errors = g.Sum(r => r.Status >= 400 ? (long)r.Attempts : 0L),
            })
            .OrderBy(row => row.Bucket)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);

        var buckets = new List<UsageBucket>(rows.Count);
        foreach (var row in rows)
        {
            var start = DateTimeOffset.FromUnixTimeMilliseconds(row.Bucket * hoursPerBucket * MillisecondsPerHour);
            buckets.Add(new UsageBucket(start, row.Requests, row.PromptTokens, row.CompletionTokens, row.Errors));
        }
        return buckets;
    }

    /// <summary>Number of ledger rows matching the query's filters (its grouping is ignored).</summary>
    public async Task<long> CountAsync(UsageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await Filter(db.UsageRecords.AsNoTracking(), query).LongCountAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whole hours since the Unix epoch, the value stored in usage_records.hour_bucket.</summary>
    public static long HourBucketOf(DateTimeOffset timestamp)
    {
        var milliseconds = timestamp.ToUnixTimeMilliseconds();
        // Floor division, so instants before 1970 fall in the right hour too.
        return milliseconds >= 0 ? milliseconds / MillisecondsPerHour : ((milliseconds + 1) / MillisecondsPerHour) - 1;
    }

    private static IQueryable<UsageRecordEntity> Filter(IQueryable<UsageRecordEntity> records, UsageQuery query)
    {
        if (query.OrgId is { } orgId)
        {
            records = records.Where(r => r.OrgId == orgId);
        }
        if (query.KeyId is { } keyId)
        {
            records = records.Where(r => r.KeyId == keyId);
        }
        if (query.Model is { } model)
        {
            records = records.Where(r => r.Model == model);
        }
        if (query.From is { } from)
        {
            var fromUtc = from.ToUniversalTime();
            records = records.Where(r => r.Timestamp >= fromUtc);
        }
        if (query.To is { } to)
        {
            var toUtc = to.ToUniversalTime();
            records = records.Where(r => r.Timestamp < toUtc);
        }
        return records;
    }
}

/// <summary>How usage rows are bucketed.</summary>
public enum UsageGrouping
{
    None,
    Hour,
    Day,
}

/// <summary>Filters of a usage query; <see cref="From"/> is inclusive, <see cref="To"/> exclusive.</summary>
public sealed record UsageQuery(
    string? OrgId = null,
    string? KeyId = null,
    string? Model = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    UsageGrouping GroupBy = UsageGrouping.None);

/// <summary>Aggregated usage; <see cref="Start"/> is the bucket's UTC start, null when ungrouped.</summary>
public sealed record UsageBucket(DateTimeOffset? Start, long Requests, long PromptTokens, long CompletionTokens, long Errors);
