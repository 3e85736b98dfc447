using Microsoft.EntityFrameworkCore;
using Moat.Core.Access;
using Moat.Core.Changes;
using Moat.Core.Quotas;
using Moat.Storage.Entities;

namespace Moat.Storage;

/// <summary>
/// Reads and changes organisations. Every change is committed, then published as <see cref="OrgChanged"/> and
/// awaited, so the key directory of this process reflects it when the call returns.
/// </summary>
public sealed class OrganizationStore(IDbContextFactory<MoatDbContext> contexts, IChangeFeed changes, TimeProvider time)
{
    private const int MaxConcurrencyRetries = 5;
    public const int MaxPageSize = 500;

    public async Task<OrganizationEntity> CreateAsync(
        string name,
        string tier,
        OrgState state,
        string? contactEmail = null,
        string? useCaseCategory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(tier);
        var now = time.GetUtcNow();
        var organization = new OrganizationEntity
        {
            Id = EntityId.New(EntityId.Organization, time),
            Name = name,
            Tier = tier,
            State = state,
            ContactEmail = contactEmail,
            UseCaseCategory = useCaseCategory,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            db.Organizations.Add(organization);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        await PublishAsync(organization.Id, "created").ConfigureAwait(false);
        return organization;
    }

    public async Task<OrganizationEntity?> FindAsync(string orgId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orgId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Organisations in creation order, after <paramref name="cursor"/> (an org id), optionally of one state.</summary>
    public async Task<Page<OrganizationEntity>> ListAsync(
        string? cursor = null,
        int limit = 100,
        OrgState? state = null,
        CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Organizations.AsNoTracking();
        if (cursor is not null)
        {
            query = query.Where(o => string.Compare(o.Id, cursor) > 0);
        }
        if (state is { } wanted)
        {
            query = query.Where(o => o.State == wanted);
        }
        var rows = await query.OrderBy(o => o.Id).Take(limit + 1).ToListAsync(cancellationToken).ConfigureAwait(false);
        return ToPage(rows, limit);
    }

    /// <summary>Replaces the organisation's limit overrides; a null member clears that override (inherit the tier).</summary>
    public Task<OrganizationEntity?> UpdateLimitsAsync(string orgId, QuotaLimits limits, CancellationToken cancellationToken = default) =>
        UpdateAsync(orgId, "limits", organization =>
        {
            organization.RequestsPerMinute = limits.RequestsPerMinute;
            organization.TokensPerMinute = limits.TokensPerMinute;
            organization.TokensPerDay = limits.TokensPerDay;
            return true;
        }, cancellationToken);

    public Task<OrganizationEntity?> SetTierAsync(string orgId, string tier, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tier);
        return UpdateAsync(orgId, "tier", organization =>
        {
            organization.Tier = tier;
            return true;
        }, cancellationToken);
    }

    public Task<OrganizationEntity?> SetAllowBenchmarksAsync(string orgId, bool allow, CancellationToken cancellationToken = default) =>
        UpdateAsync(orgId, "allow_benchmarks", organization =>
        {
            organization.AllowBenchmarks = allow;
            return true;
        }, cancellationToken);

    /// <summary>Sets the state unconditionally (for approval and repair); enforcement should use <see cref="TransitionAsync"/>.</summary>
    public Task<OrganizationEntity?> SetStateAsync(string orgId, OrgState state, CancellationToken cancellationToken = default) =>
        UpdateAsync(orgId, "state", organization =>
        {
            organization.State = state;
            return true;
        }, cancellationToken);

    /// <summary>Applies an enforcement action if <see cref="OrgStateMachine"/> allows it from the current state.</summary>
    public async Task<OrgTransition> TransitionAsync(string orgId, OrgAction action, CancellationToken cancellationToken = default)
    {
        OrgState? from = null;
        var updated = await UpdateAsync(orgId, "state", organization =>
        {
            from = organization.State;
            if (OrgStateMachine.Apply(organization.State, action) is not { } next)
            {
                return false;
            }
            organization.State = next;
            return true;
        }, cancellationToken).ConfigureAwait(false);

        if (from is null)
        {
            return new OrgTransition(OrgTransitionOutcome.NotFound, null, null);
        }
        return updated is null
            ? new OrgTransition(OrgTransitionOutcome.Illegal, from, await FindAsync(orgId, cancellationToken).ConfigureAwait(false))
            : new OrgTransition(OrgTransitionOutcome.Applied, from, updated);
    }

    /// <summary>
    /// Loads, changes and saves one organisation, retrying when another writer got there first (version token).
    /// Returns null when the organisation does not exist or <paramref name="change"/> declined.
    /// </summary>
    private async Task<OrganizationEntity?> UpdateAsync(
        string orgId,
        string reason,
        Func<OrganizationEntity, bool> change,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Id == orgId, cancellationToken).ConfigureAwait(false);
            if (organization is null || !change(organization))
            {
                return null;
            }
            organization.UpdatedAt = time.GetUtcNow();
            organization.Version++;
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxConcurrencyRetries)
            {
                continue;
            }
            await PublishAsync(orgId, reason).ConfigureAwait(false);
            return organization;
        }
    }

    // Not cancellable: the change is committed, and replicas must hear of it.
    private Task PublishAsync(string orgId, string reason) =>
        changes.PublishAsync(new OrgChanged(orgId, reason), CancellationToken.None);

    private static Page<OrganizationEntity> ToPage(List<OrganizationEntity> rows, int limit)
    {
        if (rows.Count <= limit)
        {
            return new Page<OrganizationEntity>(rows, null);
        }
        rows.RemoveAt(rows.Count - 1);
        return new Page<OrganizationEntity>(rows, rows[^1].Id);
    }
}

/// <summary>What <see cref="OrganizationStore.TransitionAsync"/> did.</summary>
public enum OrgTransitionOutcome
{
    Applied,
    Illegal,
    NotFound,
}

/// <summary>The outcome, the state before, and the organisation as it now is (null when not found).</summary>
public sealed record OrgTransition(OrgTransitionOutcome Outcome, OrgState? From, OrganizationEntity? Organization);
