using Microsoft.EntityFrameworkCore;
using Moat.Core.Access;
using Moat.Storage;
using Moat.Storage.Entities;

namespace Moat.WebConsole.Data;

/// <summary>Read-only figures the console shows that no admin service answers as such (counts, hourly usage).</summary>
public sealed class ConsoleQueries(IDbContextFactory<MoatDbContext> contexts, UsageStore usage, TimeProvider time)
{
    public async Task<OverviewCounts> OverviewAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var midnight = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var pending = await db.Applications.CountAsync(a => a.Status == ApplicationStatus.Pending, cancellationToken).ConfigureAwait(false);
        var states = await db.Organizations.GroupBy(o => o.State).Select(g => new { State = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var openCases = await db.Cases.CountAsync(c => c.Status == CaseStatus.Open, cancellationToken).ConfigureAwait(false);
        var requestsToday = await usage.CountAsync(new UsageQuery(From: midnight), cancellationToken).ConfigureAwait(false);
        int Count(params OrgState[] wanted) => states.Where(s => wanted.Contains(s.State)).Sum(s => s.Count);
        return new OverviewCounts(
            pending,
            Count(OrgState.Active, OrgState.Warned, OrgState.Throttled),
            Count(OrgState.Suspended),
            Count(OrgState.Terminated),
            openCases,
            requestsToday);
    }

    /// <summary>The organisation's requests and errors in each of the last 24 whole hours (UTC), oldest first, zeros included.</summary>
    public async Task<IReadOnlyList<UsageBucket>> LastDayByHourAsync(string orgId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var thisHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var first = thisHour.AddHours(-23);
        var rows = await usage.QueryAsync(new UsageQuery(OrgId: orgId, From: first, GroupBy: UsageGrouping.Hour), cancellationToken).ConfigureAwait(false);
        var byStart = rows.Where(r => r.Start is not null).ToDictionary(r => r.Start!.Value);
        var hours = new List<UsageBucket>(24);
        for (var hour = first; hour <= thisHour; hour = hour.AddHours(1))
        {
            hours.Add(byStart.TryGetValue(hour, out var row) ? row : new UsageBucket(hour, 0, 0, 0, 0));
        }
        return hours;
    }
}

/// <summary>The figures on the overview page.</summary>
public sealed record OverviewCounts(int PendingApplications, int ActiveOrganizations, int SuspendedOrganizations, int TerminatedOrganizations, int OpenCases, long RequestsToday);
