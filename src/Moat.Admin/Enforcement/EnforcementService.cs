using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Admin.Api;
using Moat.Admin.Hosting;
using Moat.Core.Access;
using Moat.Core.Quotas;
using Moat.Storage;
using Moat.Storage.Entities;

namespace Moat.Admin.Enforcement;

/// <summary>
/// The only writer of organisation state, tier and limits (the admin API and the detection engine call it).
/// Every change goes through <see cref="OrgStateMachine"/>, is audited with its reason, and is recorded on the
/// organisation's open investigation case (a suspension opens one when there is none), all in one transaction
/// (<see cref="AuditLog.WriteAsync{T}"/>; docs/decisions/0003); the change feed hears of it after the commit.
/// </summary>
public sealed class EnforcementService(
    OrganizationStore organizations,
    AuditLog audit,
    IDbContextFactory<MoatDbContext> contexts,
    IOptions<TierCatalogOptions> tiers,
    TimeProvider time,
    ILogger<EnforcementService> logger)
{
    /// <summary>
    /// Applies <paramref name="action"/> if legal from the organisation's current state. The new state, the case event
    /// and the audit entry commit in one transaction; the change is published to the key directories after it.
    /// </summary>
    public async Task<EnforcementResult> ApplyAsync(
        string orgId,
        OrgAction action,
        string reason,
        string actor,
        object? evidence,
        CancellationToken cancellationToken) =>
        await ApplyAsync(orgId, action, reason, actor, evidence, alongside: null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// As <see cref="ApplyAsync(string, OrgAction, string, string, object?, CancellationToken)"/>, and
    /// <paramref name="alongside"/> (when the action is applied) writes more in the same transaction.
    /// </summary>
    internal async Task<EnforcementResult> ApplyAsync(
        string orgId,
        OrgAction action,
        string reason,
        string actor,
        object? evidence,
        Func<AuditedWrite, CancellationToken, Task>? alongside,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orgId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);

        var result = await audit.WriteAsync(async (write, ct) =>
        {
            var transition = await organizations.TransitionAsync(write, orgId, action, ct).ConfigureAwait(false);
            if (transition.Outcome == OrgTransitionOutcome.NotFound)
            {
                return new EnforcementResult(EnforcementOutcome.NotFound, null, null, null, null);
            }
            var from = transition.From!.Value;
            var organization = transition.Organization!;
            if (transition.Outcome == OrgTransitionOutcome.Illegal)
            {
                return new EnforcementResult(EnforcementOutcome.Illegal, from, from, organization, await OpenCaseIdAsync(write.Db, orgId, ct).ConfigureAwait(false));
            }
            var to = organization.State;
            var text = $"{action.ToWire()}: {from.ToWire()} -> {to.ToWire()}. {reason}";
            var caseId = action == OrgAction.Suspend
                ? (await OpenOrAttachAsync(write, orgId, reason, actor, evidence, text, ct).ConfigureAwait(false)).Id
                : await AddToOpenCaseAsync(write.Db, orgId, actor, CaseEventKind.Action, text, evidence, ct).ConfigureAwait(false);
            write.Append(actor, AuditActions.For(action), orgId, new
            {
                from = from.ToWire(),
                to = to.ToWire(),
                reason,
                case_id = caseId,
            });
            if (alongside is not null)
            {
                await alongside(write, ct).ConfigureAwait(false);
            }
            return new EnforcementResult(EnforcementOutcome.Applied, from, to, organization, caseId);
        }, cancellationToken).ConfigureAwait(false);

        if (result.Outcome == EnforcementOutcome.Applied)
        {
            await organizations.PublishAsync(orgId, "state").ConfigureAwait(false);
            AdminLog.OrgTransitioned(logger, orgId, action.ToWire(), actor, result.From!.Value.ToWire(), result.To!.Value.ToWire());
        }
        return result;
    }

    /// <summary>
    /// Opens an investigation case for the organisation, or adds to the one already open (an organisation has at most
    /// one open case). Evidence, when given, is stored as an <c>evidence</c> event.
    /// </summary>
    public async Task<CaseEntity> OpenCaseAsync(string orgId, string reason, string actor, object? evidence, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orgId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var investigation = await audit.WriteAsync(async (write, ct) =>
        {
            if (!await write.Db.Organizations.AnyAsync(o => o.Id == orgId, ct).ConfigureAwait(false))
            {
                throw AdminApiException.NotFound("organization", orgId);
            }
            return await OpenOrAttachAsync(write, orgId, reason, actor, evidence, actionText: null, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return await LoadCaseAsync(investigation.Id, CancellationToken.None).ConfigureAwait(false) ?? investigation;
    }

    /// <summary>Moves the organisation to another configured tier.</summary>
    public async Task<OrganizationEntity> ChangeTierAsync(string orgId, string tier, string reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        RequireTier(tier);
        var updated = await audit.WriteAsync(async (write, ct) =>
        {
            string? before = null;
            var organization = await organizations.ChangeAsync(write, orgId, o =>
            {
                before = o.Tier;
                o.Tier = tier;
            }, ct).ConfigureAwait(false) ?? throw AdminApiException.NotFound("organization", orgId);
            write.Append(actor, AuditActions.OrgTier, orgId, new { from = before, to = tier, reason });
            await AddToOpenCaseAsync(write.Db, orgId, actor, CaseEventKind.Action, $"tier: {before} -> {tier}. {reason}", null, ct).ConfigureAwait(false);
            return organization;
        }, cancellationToken).ConfigureAwait(false);
        await organizations.PublishAsync(orgId, "tier").ConfigureAwait(false);
        AdminLog.OrgChanged(logger, orgId, "tier", actor);
        return updated;
    }

    /// <summary>Replaces the organisation's limit overrides (a null member inherits the tier's value).</summary>
    public async Task<OrganizationEntity> ChangeLimitsAsync(string orgId, QuotaLimits overrides, string reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var updated = await audit.WriteAsync(async (write, ct) =>
        {
            QuotaLimits? before = null;
            var organization = await organizations.ChangeAsync(write, orgId, o =>
            {
                before = new QuotaLimits(o.RequestsPerMinute, o.TokensPerMinute, o.TokensPerDay);
                o.RequestsPerMinute = overrides.RequestsPerMinute;
                o.TokensPerMinute = overrides.TokensPerMinute;
                o.TokensPerDay = overrides.TokensPerDay;
            }, ct).ConfigureAwait(false) ?? throw AdminApiException.NotFound("organization", orgId);
            write.Append(actor, AuditActions.OrgLimits, orgId, new
            {
                from = LimitsResponse.From(before!),
                to = LimitsResponse.From(overrides),
                reason,
            });
            await AddToOpenCaseAsync(write.Db, orgId, actor, CaseEventKind.Action, $"limits changed. {reason}", null, ct).ConfigureAwait(false);
            return organization;
        }, cancellationToken).ConfigureAwait(false);
        await organizations.PublishAsync(orgId, "limits").ConfigureAwait(false);
        AdminLog.OrgChanged(logger, orgId, "limits", actor);
        return updated;
    }

    /// <summary>The tier's settings; a 400 naming the configured tiers when it does not exist.</summary>
    public TierOptions RequireTier(string? tier, string param = "tier")
    {
        if (!string.IsNullOrWhiteSpace(tier) && tiers.Value.Find(tier) is { } options)
        {
            return options;
        }
        throw AdminApiException.Invalid(
            $"Unknown tier '{tier}'. Configured tiers: {string.Join(", ", tiers.Value.Tiers.Keys.Order(StringComparer.Ordinal))}.", param);
    }

    /// <summary>The id of the organisation's open case, if any.</summary>
    public async Task<string?> OpenCaseIdAsync(string orgId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await OpenCaseIdAsync(db, orgId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The open case of each of the organisations that has one.</summary>
    public async Task<Dictionary<string, string>> OpenCaseIdsAsync(IReadOnlyCollection<string> orgIds, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Cases.AsNoTracking()
            .Where(c => c.Status == CaseStatus.Open && orgIds.Contains(c.OrgId))
            .OrderBy(c => c.Id)
            .Select(c => new { c.OrgId, c.Id })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var open = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            open.TryAdd(row.OrgId, row.Id);
        }
        return open;
    }

    private static Task<string?> OpenCaseIdAsync(MoatDbContext db, string orgId, CancellationToken cancellationToken) =>
        db.Cases.AsNoTracking()
            .Where(c => c.OrgId == orgId && c.Status == CaseStatus.Open)
            .OrderBy(c => c.Id)
            .Select(c => c.Id)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>Within a transaction: appends an event to the organisation's open case; returns the case id, or null when none is open.</summary>
    private async Task<string?> AddToOpenCaseAsync(MoatDbContext db, string orgId, string actor, CaseEventKind kind, string text, object? evidence, CancellationToken cancellationToken)
    {
        var caseId = await OpenCaseIdAsync(db, orgId, cancellationToken).ConfigureAwait(false);
        if (caseId is null)
        {
            return null;
        }
        db.CaseEvents.Add(NewEvent(caseId, actor, kind, text, null));
        AddEvidence(db, caseId, actor, evidence);
        return caseId;
    }

    // Within a transaction: the open case (opened now, and audited, when there is none) with the action or note recorded on it.
    private async Task<CaseEntity> OpenOrAttachAsync(AuditedWrite write, string orgId, string reason, string actor, object? evidence, string? actionText, CancellationToken cancellationToken)
    {
        var db = write.Db;
        var existing = await db.Cases
            .Where(c => c.OrgId == orgId && c.Status == CaseStatus.Open)
            .OrderBy(c => c.Id)
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        var opened = existing is null;
        var investigation = existing ?? new CaseEntity
        {
            Id = EntityId.New(EntityId.Case, time),
            OrgId = orgId,
            Status = CaseStatus.Open,
            OpenedBy = actor,
            OpenedAt = time.GetUtcNow(),
            Reason = reason,
        };
        if (opened)
        {
            db.Cases.Add(investigation);
            write.Append(actor, AuditActions.CaseOpen, orgId, new { case_id = investigation.Id, reason });
            AdminLog.CaseChanged(logger, investigation.Id, orgId, "open", actor);
        }
        db.CaseEvents.Add(actionText is null
            ? NewEvent(investigation.Id, actor, CaseEventKind.Note, opened ? $"case opened: {reason}" : $"further concern: {reason}", null)
            : NewEvent(investigation.Id, actor, CaseEventKind.Action, actionText, null));
        AddEvidence(db, investigation.Id, actor, evidence);
        return investigation;
    }

    internal async Task<CaseEntity?> LoadCaseAsync(string caseId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Cases.AsNoTracking().Include(c => c.Events).FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken).ConfigureAwait(false);
    }

    private void AddEvidence(MoatDbContext db, string caseId, string actor, object? evidence)
    {
        if (evidence is not null)
        {
            db.CaseEvents.Add(NewEvent(caseId, actor, CaseEventKind.Evidence, "evidence attached", JsonSerializer.Serialize(evidence, evidence.GetType(), AdminJson.Options)));
        }
    }

    internal CaseEventEntity NewEvent(string caseId, string actor, CaseEventKind kind, string text, string? payloadJson) => new()
    {
        CaseId = caseId,
        At = time.GetUtcNow(),
        Actor = actor,
        Kind = kind,
        Text = text,
        PayloadJson = payloadJson,
    };
}

/// <summary>What <see cref="EnforcementService.ApplyAsync"/> did.</summary>
public enum EnforcementOutcome
{
    Applied,
    Illegal,
    NotFound,
}

/// <summary>The outcome, the states before and after, the organisation as it now is, and the open case it was recorded on.</summary>
public sealed record EnforcementResult(
    EnforcementOutcome Outcome,
    OrgState? From,
    OrgState? To,
    OrganizationEntity? Organization,
    string? CaseId);
