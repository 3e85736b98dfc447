using Microsoft.EntityFrameworkCore;
using Moat.Core.Access;
using Moat.Core.Changes;
using Moat.Core.Quotas;
using Moat.Storage.Entities;

namespace Moat.Storage;

/// <summary>
/// Reads and changes organisations. A change made here on its own (creation, limits) is committed, then published as
/// <see cref="OrgChanged"/> and awaited, so the key directory of this process reflects it when the call returns. State,
/// tier and audited limit changes are made inside an <see cref="AuditLog.WriteAsync{T}"/> transaction, with their audit
/// entry, and published by the caller after the commit.
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
        var organization = New(name, tier, state, contactEmail, useCaseCategory);
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            db.Organizations.Add(organization);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        await PublishAsync(organization.Id, "created").ConfigureAwait(false);
        return organization;
    }

    /// <summary>Inside an audited transaction: adds a new organisation. The caller publishes after the commit.</summary>
    public OrganizationEntity Create(
        AuditedWrite write,
        string name,
        string tier,
        OrgState state,
        string? contactEmail = null,
        string? useCaseCategory = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        var organization = New(name, tier, state, contactEmail, useCaseCategory);
        write.Db.Organizations.Add(organization);
        return organization;
    }

    private OrganizationEntity New(string name, string tier, OrgState state, string? contactEmail, string? useCaseCategory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(tier);
        var now = time.GetUtcNow();
        return new OrganizationEntity
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

    public Task<OrganizationEntity?> SetAllowBenchmarksAsync(string orgId, bool allow, CancellationToken cancellationToken = default) =>
        UpdateAsync(orgId, "allow_benchmarks", organization =>
        {
            organization.AllowBenchmarks = allow;
            return true;
        }, cancellationToken);

    /// <summary>
    /// Inside an audited transaction: applies an enforcement action if <see cref="OrgStateMachine"/> allows it from the
    /// current state. This is the only way to change an organisation's state after creation; the caller records the
    /// audit entry on <paramref name="write"/> and, after the commit, calls <see cref="PublishAsync"/>.
    /// </summary>
    public async Task<OrgTransition> TransitionAsync(AuditedWrite write, string orgId, OrgAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var organization = await write.Db.Organizations.FirstOrDefaultAsync(o => o.Id == orgId, cancellationToken).ConfigureAwait(false);
        if (organization is null)
        {
            return new OrgTransition(OrgTransitionOutcome.NotFound, null, null);
        }
        var from = organization.State;
        if (OrgStateMachine.Apply(from, action) is not { } next)
        {
            return new OrgTransition(OrgTransitionOutcome.Illegal, from, organization);
        }
        organization.State = next;
        Touch(organization);
        return new OrgTransition(OrgTransitionOutcome.Applied, from, organization);
    }

    /// <summary>
    /// Inside an audited transaction: loads the organisation and lets <paramref name="change"/> edit anything but its
    /// state (tier, limits). Null when it does not exist. The caller publishes after the commit.
    /// </summary>
    public async Task<OrganizationEntity?> ChangeAsync(AuditedWrite write, string orgId, Action<OrganizationEntity> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(change);
        var organization = await write.Db.Organizations.FirstOrDefaultAsync(o => o.Id == orgId, cancellationToken).ConfigureAwait(false);
        if (organization is null)
        {
            return null;
        }
        var state = organization.State;
        change(organization);
        if (organization.State != state)
        {
            throw new InvalidOperationException("An organisation's state changes only through TransitionAsync.");
        }
        Touch(organization);
        return organization;
    }

    /// <summary>Tells every replica's key directory that the organisation changed; call it after the change commits.</summary>
    public Task PublishAsync(string orgId, string reason) =>
        changes.PublishAsync(new OrgChanged(orgId, reason), CancellationToken.None);

    private void Touch(OrganizationEntity organization)
    {
        organization.UpdatedAt = time.GetUtcNow();
        organization.Version++;
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
            Touch(organization);
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
