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
/// The only writer of organisation state, tier and limits (the admin API and, later, the detection engine call it).
/// Every change goes through <see cref="OrgStateMachine"/>, is audited with its reason, and is recorded on the
/// organisation's open investigation case; a suspension opens one when there is none.
/// </summary>
public sealed class EnforcementService(
    OrganizationStore organizations,
    AuditLog audit,
    IDbContextFactory<MoatDbContext> contexts,
    IOptions<TierCatalogOptions> tiers,
    TimeProvider time,
    ILogger<EnforcementService> logger)
{
    /// <summary>Applies <paramref name="action"/> if legal from the organisation's current state.</summary>
    public async Task<EnforcementResult> ApplyAsync(
        string orgId,
        OrgAction action,
        string reason,
        string actor,
        object? evidence,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orgId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);

        var transition = await organizations.TransitionAsync(orgId, action, cancellationToken).ConfigureAwait(false);
        if (transition.Outcome == OrgTransitionOutcome.NotFound)
        {
            return new EnforcementResult(EnforcementOutcome.NotFound, null, null, null, null);
        }
        var from = transition.From!.Value;
        if (transition.Outcome == OrgTransitionOutcome.Illegal)
        {
            return new EnforcementResult(EnforcementOutcome.Illegal, from, from, transition.Organization, await OpenCaseIdAsync(orgId, cancellationToken).ConfigureAwait(false));
        }

        // The state is committed: the record of it must be written even if the caller goes away now.
        var organization = transition.Organization!;
        var to = organization.State;
        var text = $"{action.ToWire()}: {from.ToWire()} -> {to.ToWire()}. {reason}";
        string? caseId;
        if (action == OrgAction.Suspend)
        {
            caseId = (await OpenOrAttachAsync(orgId, reason, actor, evidence, text, CancellationToken.None).ConfigureAwait(false)).Id;
        }
        else
        {
            caseId = await AddToOpenCaseAsync(orgId, actor, CaseEventKind.Action, text, evidence, CancellationToken.None).ConfigureAwait(false);
        }
        await audit.AppendAsync(actor, AuditActions.For(action), orgId, new
        {
            from = from.ToWire(),
            to = to.ToWire(),
            reason,
            case_id = caseId,
        }, CancellationToken.None).ConfigureAwait(false);
        AdminLog.OrgTransitioned(logger, orgId, action.ToWire(), actor, from.ToWire(), to.ToWire());
        return new EnforcementResult(EnforcementOutcome.Applied, from, to, organization, caseId);
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
        if (await organizations.FindAsync(orgId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw AdminApiException.NotFound("organization", orgId);
        }
        return await OpenOrAttachAsync(orgId, reason, actor, evidence, actionText: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves the organisation to another configured tier.</summary>
    public async Task<OrganizationEntity> ChangeTierAsync(string orgId, string tier, string reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var before = await organizations.FindAsync(orgId, cancellationToken).ConfigureAwait(false)
            ?? throw AdminApiException.NotFound("organization", orgId);
        RequireTier(tier);
        var updated = await organizations.SetTierAsync(orgId, tier, cancellationToken).ConfigureAwait(false)
            ?? throw AdminApiException.NotFound("organization", orgId);
        await audit.AppendAsync(actor, AuditActions.OrgTier, orgId, new { from = before.Tier, to = tier, reason }, CancellationToken.None).ConfigureAwait(false);
        await AddToOpenCaseAsync(orgId, actor, CaseEventKind.Action, $"tier: {before.Tier} -> {tier}. {reason}", null, CancellationToken.None).ConfigureAwait(false);
        AdminLog.OrgChanged(logger, orgId, "tier", actor);
        return updated;
    }

    /// <summary>Replaces the organisation's limit overrides (a null member inherits the tier's value).</summary>
    public async Task<OrganizationEntity> ChangeLimitsAsync(string orgId, QuotaLimits overrides, string reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var before = await organizations.FindAsync(orgId, cancellationToken).ConfigureAwait(false)
            ?? throw AdminApiException.NotFound("organization", orgId);
        var updated = await organizations.UpdateLimitsAsync(orgId, overrides, cancellationToken).ConfigureAwait(false)
            ?? throw AdminApiException.NotFound("organization", orgId);
        await audit.AppendAsync(actor, AuditActions.OrgLimits, orgId, new
        {
            from = LimitsResponse.From(new QuotaLimits(before.RequestsPerMinute, before.TokensPerMinute, before.TokensPerDay)),
            to = LimitsResponse.From(overrides),
            reason,
        }, CancellationToken.None).ConfigureAwait(false);
        await AddToOpenCaseAsync(orgId, actor, CaseEventKind.Action, $"limits changed. {reason}", null, CancellationToken.None).ConfigureAwait(false);
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
        return await db.Cases.AsNoTracking()
            .Where(c => c.OrgId == orgId && c.Status == CaseStatus.Open)
            .OrderBy(c => c.Id)
            .Select(c => c.Id)
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
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

    /// <summary>Appends an event to the organisation's open case; returns the case id, or null when none is open.</summary>
    internal async Task<string?> AddToOpenCaseAsync(string orgId, string actor, CaseEventKind kind, string text, object? evidence, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var caseId = await db.Cases.AsNoTracking()
            .Where(c => c.OrgId == orgId && c.Status == CaseStatus.Open)
            .OrderBy(c => c.Id)
            .Select(c => c.Id)
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        if (caseId is null)
        {
            return null;
        }
        db.CaseEvents.Add(NewEvent(caseId, actor, kind, text, null));
        AddEvidence(db, caseId, actor, evidence);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return caseId;
    }

    private async Task<CaseEntity> OpenOrAttachAsync(string orgId, string reason, string actor, object? evidence, string? actionText, CancellationToken cancellationToken)
    {
        CaseEntity investigation;
        bool opened;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            var existing = await db.Cases
                .Where(c => c.OrgId == orgId && c.Status == CaseStatus.Open)
                .OrderBy(c => c.Id)
                .FirstOrDefaultAsync(cancellationToken)
                .ConfigureAwait(false);
            opened = existing is null;
            investigation = existing ?? new CaseEntity
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
            }
            db.CaseEvents.Add(actionText is null
                ? NewEvent(investigation.Id, actor, CaseEventKind.Note, opened ? $"case opened: {reason}" : $"further concern: {reason}", null)
                : NewEvent(investigation.Id, actor, CaseEventKind.Action, actionText, null));
            AddEvidence(db, investigation.Id, actor, evidence);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        if (opened)
        {
            await audit.AppendAsync(actor, AuditActions.CaseOpen, orgId, new { case_id = investigation.Id, reason }, CancellationToken.None).ConfigureAwait(false);
            AdminLog.CaseChanged(logger, investigation.Id, orgId, "open", actor);
        }
        return await LoadCaseAsync(investigation.Id, cancellationToken).ConfigureAwait(false) ?? investigation;
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
