using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Moat.Admin.Api;
using Moat.Admin.Enforcement;
using Moat.Admin.Hosting;
using Moat.Storage;
using Moat.Storage.Entities;

namespace Moat.Admin.AllowList;

/// <summary>
/// The detection allow-list: organisations a reviewer found to be false positives, left alone by automatic enforcement
/// until their entry expires (they are still scored). Entries are added by resolving a case with the
/// <c>false_positive</c> verdict (<see cref="Cases.CaseService"/>), listed, and removed; every change is audited and
/// published so the detection context of the organisation is refreshed at once.
/// </summary>
public sealed class AllowListService(
    IDbContextFactory<MoatDbContext> contexts,
    EnforcementService enforcement,
    OrganizationStore organizations,
    AuditLog audit,
    TimeProvider time,
    ILogger<AllowListService> logger)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 365;

    /// <summary>Entries by organisation id, expired ones included (<c>active</c> tells them apart).</summary>
    public async Task<Page<OrgAllowListEntity>> ListAsync(string? cursor, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.OrgAllowList.AsNoTracking();
        if (cursor is not null)
        {
            query = query.Where(a => string.Compare(a.OrgId, cursor) > 0);
        }
        var rows = await query.OrderBy(a => a.OrgId).Take(limit + 1).ToListAsync(cancellationToken).ConfigureAwait(false);
        return Paging.ToPage(rows, limit, a => a.OrgId);
    }

    /// <summary>When each of the given organisations' unexpired entry ends (absent: not allow-listed now).</summary>
    public async Task<Dictionary<string, DateTimeOffset>> ActiveUntilAsync(IReadOnlyCollection<string> orgIds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.OrgAllowList.AsNoTracking()
            .Where(a => orgIds.Contains(a.OrgId) && a.ExpiresAt > now)
            .ToDictionaryAsync(a => a.OrgId, a => a.ExpiresAt, StringComparer.Ordinal, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Within the transaction resolving <paramref name="caseId"/>: adds (or replaces) the organisation's entry for
    /// <paramref name="days"/> days, audits it and records it on the case. The caller publishes after the commit.
    /// </summary>
    internal async Task<OrgAllowListEntity> AddAsync(AuditedWrite write, string orgId, string caseId, string reason, string actor, int days, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxDays);
        var now = time.GetUtcNow();
        var entry = await write.Db.OrgAllowList.FirstOrDefaultAsync(a => a.OrgId == orgId, cancellationToken).ConfigureAwait(false);
        var replaced = entry is not null;
        if (entry is null)
        {
            entry = new OrgAllowListEntity { OrgId = orgId };
            write.Db.OrgAllowList.Add(entry);
        }
        entry.CaseId = caseId;
        entry.Reason = reason;
        entry.CreatedBy = actor;
        entry.CreatedAt = now;
        entry.ExpiresAt = now.AddDays(days);
        write.Append(actor, AuditActions.AllowListAdd, orgId, new
        {
            case_id = caseId,
            reason,
            days,
            expires_at = entry.ExpiresAt,
            replaced,
        });
        write.Db.CaseEvents.Add(enforcement.NewEvent(caseId, actor, CaseEventKind.Action,
            $"allow-listed (false positive) until {entry.ExpiresAt:yyyy-MM-dd HH:mm} UTC: automatic enforcement is off for {days} day(s); the organisation is still scored.",
            null));
        AdminLog.AllowListChanged(logger, orgId, "added to", actor, entry.ExpiresAt);
        return entry;
    }

    /// <summary>Removes the organisation's entry (audited, noted on its case); 404 when it has none.</summary>
    public async Task<OrgAllowListEntity> RemoveAsync(string orgId, string reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var removed = await audit.WriteAsync(async (write, ct) =>
        {
            var entry = await write.Db.OrgAllowList.FirstOrDefaultAsync(a => a.OrgId == orgId, ct).ConfigureAwait(false)
                ?? throw AdminApiException.NotFound("allow-list entry for organization", orgId);
            write.Db.OrgAllowList.Remove(entry);
            write.Append(actor, AuditActions.AllowListRemove, orgId, new
            {
                case_id = entry.CaseId,
                reason,
                expires_at = entry.ExpiresAt,
                expired = entry.ExpiresAt <= time.GetUtcNow(),
            });
            if (await write.Db.Cases.AnyAsync(c => c.Id == entry.CaseId, ct).ConfigureAwait(false))
            {
                write.Db.CaseEvents.Add(enforcement.NewEvent(entry.CaseId, actor, CaseEventKind.Action,
                    $"removed from the allow-list: automatic enforcement applies again. {reason}", null));
            }
            return entry;
        }, cancellationToken).ConfigureAwait(false);
        await organizations.PublishAsync(orgId, "allow_list").ConfigureAwait(false);
        AdminLog.AllowListChanged(logger, orgId, "removed from", actor, removed.ExpiresAt);
        return removed;
    }
}
