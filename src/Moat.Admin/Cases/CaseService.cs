using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Moat.Admin.AllowList;
using Moat.Admin.Api;
using Moat.Admin.Enforcement;
using Moat.Admin.Hosting;
using Moat.Core.Access;
using Moat.Core.Errors;
using Moat.Storage;
using Moat.Storage.Entities;

namespace Moat.Admin.Cases;

/// <summary>Investigation cases: lists, timelines, notes, and resolution (which reinstates or terminates the organisation).</summary>
public sealed class CaseService(
    IDbContextFactory<MoatDbContext> contexts,
    EnforcementService enforcement,
    OrganizationStore organizations,
    AuditLog audit,
    AllowListService allowList,
    TimeProvider time,
    ILogger<CaseService> logger)
{
    public async Task<Page<CaseEntity>> ListAsync(CaseStatus? status, string? orgId, string? cursor, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Cases.AsNoTracking().Include(c => c.Events).AsQueryable();
        if (status is { } wanted)
        {
            query = query.Where(c => c.Status == wanted);
        }
        if (orgId is not null)
        {
            query = query.Where(c => c.OrgId == orgId);
        }
        if (cursor is not null)
        {
            query = query.Where(c => string.Compare(c.Id, cursor) > 0);
        }
        var rows = await query.OrderBy(c => c.Id).Take(limit + 1).AsSplitQuery().ToListAsync(cancellationToken).ConfigureAwait(false);
        return Paging.ToPage(rows, limit, c => c.Id);
    }

    public async Task<CaseEntity> GetAsync(string caseId, CancellationToken cancellationToken) =>
        await enforcement.LoadCaseAsync(caseId, cancellationToken).ConfigureAwait(false) ?? throw AdminApiException.NotFound("case", caseId);

    public async Task<CaseEntity> AddNoteAsync(string caseId, string text, string actor, CancellationToken cancellationToken)
    {
        var investigation = await GetAsync(caseId, cancellationToken).ConfigureAwait(false);
        await audit.WriteAsync((write, _) =>
        {
            write.Db.CaseEvents.Add(enforcement.NewEvent(caseId, actor, CaseEventKind.Note, text, null));
            write.Append(actor, AuditActions.CaseNote, investigation.OrgId, new { case_id = caseId });
            return Task.FromResult(true);
        }, cancellationToken).ConfigureAwait(false);
        AdminLog.CaseChanged(logger, caseId, investigation.OrgId, "note", actor);
        return await GetAsync(caseId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Attaches evidence to a case (open or resolved): an <c>evidence</c> event with its payload, and an audit entry that
    /// holds the payload's SHA-256, so the attached evidence cannot be altered later without the audit chain showing it.
    /// </summary>
    public async Task<CaseEntity> AttachEvidenceAsync(string caseId, string text, object payload, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var investigation = await GetAsync(caseId, cancellationToken).ConfigureAwait(false);
        var json = System.Text.Json.JsonSerializer.Serialize(payload, payload.GetType(), AdminJson.Options);
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json)));
        await audit.WriteAsync((write, _) =>
        {
            write.Db.CaseEvents.Add(enforcement.NewEvent(caseId, actor, CaseEventKind.Evidence, text, json));
            write.Append(actor, AuditActions.CaseEvidence, investigation.OrgId, new { case_id = caseId, sha256 = digest });
            return Task.FromResult(true);
        }, cancellationToken).ConfigureAwait(false);
        AdminLog.CaseChanged(logger, caseId, investigation.OrgId, "evidence", actor);
        return await GetAsync(caseId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes an open case and brings the organisation to the matching state (unless it is there already). A
    /// <see cref="CaseVerdict.FalsePositive"/> verdict (only with a reinstatement) also allow-lists the organisation for
    /// <paramref name="allowListDays"/> days, in the same transaction.
    /// </summary>
    public async Task<CaseEntity> ResolveAsync(
        string caseId,
        CaseResolution resolution,
        string reason,
        string? requiredChanges,
        string actor,
        CancellationToken cancellationToken,
        CaseVerdict? verdict = null,
        int allowListDays = AllowListService.DefaultDays)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (verdict == CaseVerdict.FalsePositive && resolution != CaseResolution.Reinstated)
        {
            throw AdminApiException.Invalid("A 'false_positive' verdict reinstates the organization: 'resolution' must be reinstated.", "verdict");
        }
        var investigation = await GetAsync(caseId, cancellationToken).ConfigureAwait(false);
        if (investigation.Status != CaseStatus.Open)
        {
            throw AdminApiException.Conflict($"Case '{caseId}' is already resolved ({investigation.Resolution?.ToString().ToLowerInvariant()}).");
        }
        var organization = await organizations.FindAsync(investigation.OrgId, cancellationToken).ConfigureAwait(false)
            ?? throw AdminApiException.NotFound("organization", investigation.OrgId);

        var (action, target) = resolution == CaseResolution.Reinstated
            ? (OrgAction.Reinstate, OrgState.Active)
            : (OrgAction.Terminate, OrgState.Terminated);
        // The case closes in the same transaction as the state change (or alone when the state is already right).
        async Task CloseAsync(AuditedWrite write, CancellationToken ct)
        {
            var tracked = await write.Db.Cases.FirstAsync(c => c.Id == caseId, ct).ConfigureAwait(false);
            if (tracked.Status != CaseStatus.Open)
            {
                throw AdminApiException.Conflict($"Case '{caseId}' is already resolved ({tracked.Resolution?.ToString().ToLowerInvariant()}).");
            }
            tracked.Status = CaseStatus.Resolved;
            tracked.Resolution = resolution;
            tracked.RequiredChanges = requiredChanges;
            tracked.ResolvedBy = actor;
            tracked.ResolvedAt = time.GetUtcNow();
            var text = $"resolved: {resolution.ToString().ToLowerInvariant()}. {reason}" + (requiredChanges is null ? "" : $" Required changes: {requiredChanges}");
            write.Db.CaseEvents.Add(enforcement.NewEvent(caseId, actor, CaseEventKind.Action, text, null));
            write.Append(actor, AuditActions.CaseResolve, investigation.OrgId, new
            {
                case_id = caseId,
                resolution = resolution.ToString().ToLowerInvariant(),
                reason,
                required_changes = requiredChanges,
                verdict = verdict?.ToWire(),
            });
            if (verdict == CaseVerdict.FalsePositive)
            {
                await allowList.AddAsync(write, investigation.OrgId, caseId, reason, actor, allowListDays, ct).ConfigureAwait(false);
            }
        }

        if (organization.State != target)
        {
            var result = await enforcement.ApplyAsync(organization.Id, action, reason, actor, null, CloseAsync, cancellationToken).ConfigureAwait(false);
            if (result.Outcome == EnforcementOutcome.Illegal)
            {
                throw new AdminApiException(AdminErrors.IllegalTransition(
                    $"Cannot resolve as {resolution.ToString().ToLowerInvariant()}: organization '{organization.Id}' is {organization.State.ToWire()}."));
            }
        }
        else
        {
            await audit.WriteAsync(async (write, ct) =>
            {
                await CloseAsync(write, ct).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        if (verdict == CaseVerdict.FalsePositive)
        {
            // A reinstatement already published its state change; an org that was active needs this one.
            await organizations.PublishAsync(investigation.OrgId, "allow_list").ConfigureAwait(false);
        }
        AdminLog.CaseChanged(logger, caseId, investigation.OrgId, "resolve", actor);
        return await GetAsync(caseId, CancellationToken.None).ConfigureAwait(false);
    }
}

/// <summary>A reviewer's finding on a case (optional on resolution): the detection was right, or a false positive.</summary>
public enum CaseVerdict
{
    Confirmed,
    FalsePositive,
}

/// <summary>Wire names of <see cref="CaseVerdict"/>.</summary>
public static class CaseVerdicts
{
    public static string ToWire(this CaseVerdict verdict) => verdict == CaseVerdict.FalsePositive ? "false_positive" : "confirmed";
}
