using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Admin.Api;
using Moat.Admin.Enforcement;
using Moat.Admin.Hosting;
using Moat.Core.Access;
using Moat.Storage;
using Moat.Storage.Entities;

namespace Moat.Admin.Access;

/// <summary>The limited-access programme: applications and their review, and the keys of approved organisations.</summary>
public sealed class AccessService(
    IDbContextFactory<MoatDbContext> contexts,
    OrganizationStore organizations,
    ApiKeyStore keys,
    EnforcementService enforcement,
    AuditLog audit,
    IOptions<KeyManagementOptions> keyOptions,
    TimeProvider time,
    ILogger<AccessService> logger)
{
    /// <summary>Stores a validated application as pending.</summary>
    public async Task<ApplicationEntity> SubmitAsync(ValidApplication submission, string? clientIp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var application = new ApplicationEntity
        {
            Id = EntityId.New(EntityId.Application, time),
            OrganizationName = submission.OrganizationName,
            ContactEmail = submission.ContactEmail,
            IntendedUse = submission.IntendedUse,
            UseCaseCategory = submission.UseCaseCategory,
            ExpectedMonthlyTokens = submission.ExpectedMonthlyTokens,
            TermsVersion = submission.TermsVersion,
            Status = ApplicationStatus.Pending,
            SubmittedAt = time.GetUtcNow(),
            ClientIp = clientIp,
        };
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            db.Applications.Add(application);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        await audit.AppendAsync("portal", AuditActions.ApplicationSubmit, application.Id, new
        {
            organization_name = application.OrganizationName,
            use_case_category = application.UseCaseCategory,
            terms_version = application.TermsVersion,
            client_ip = clientIp,
        }, CancellationToken.None).ConfigureAwait(false);
        AdminLog.ApplicationSubmitted(logger, application.Id, clientIp);
        return application;
    }

    public async Task<ApplicationEntity> GetApplicationAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken).ConfigureAwait(false)
            ?? throw AdminApiException.NotFound("application", id);
    }

    public async Task<Page<ApplicationEntity>> ListApplicationsAsync(ApplicationStatus? status, string? cursor, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Applications.AsNoTracking();
        if (status is { } wanted)
        {
            query = query.Where(a => a.Status == wanted);
        }
        if (cursor is not null)
        {
            query = query.Where(a => string.Compare(a.Id, cursor) > 0);
        }
        var rows = await query.OrderBy(a => a.Id).Take(limit + 1).ToListAsync(cancellationToken).ConfigureAwait(false);
        return Paging.ToPage(rows, limit, a => a.Id);
    }

    /// <summary>Approves a pending application: creates its organisation, active, in <paramref name="tier"/>.</summary>
    public async Task<ApplicationEntity> ApproveAsync(string id, string tier, string? reason, string actor, CancellationToken cancellationToken)
    {
        enforcement.RequireTier(tier);
        var application = await ClaimAsync(id, ApplicationStatus.Approved, reason, actor, cancellationToken).ConfigureAwait(false);

        // The claim above makes this the only approval of the application, so exactly one organisation is created.
        var organization = await organizations.CreateAsync(
            application.OrganizationName, tier, OrgState.Active, application.ContactEmail, application.UseCaseCategory, CancellationToken.None).ConfigureAwait(false);
        await using (var db = await contexts.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var tracked = await db.Applications.FirstAsync(a => a.Id == id, CancellationToken.None).ConfigureAwait(false);
            tracked.OrgId = organization.Id;
            tracked.Tier = tier;
            await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
            application = tracked;
        }
        await audit.AppendAsync(actor, AuditActions.ApplicationApprove, id, new { org_id = organization.Id, tier, reason }, CancellationToken.None).ConfigureAwait(false);
        AdminLog.ApplicationReviewed(logger, id, "approved", actor, organization.Id);
        return application;
    }

    public async Task<ApplicationEntity> RejectAsync(string id, string reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var application = await ClaimAsync(id, ApplicationStatus.Rejected, reason, actor, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(actor, AuditActions.ApplicationReject, id, new { reason }, CancellationToken.None).ConfigureAwait(false);
        AdminLog.ApplicationReviewed(logger, id, "rejected", actor, null);
        return application;
    }

    public async Task<CreatedApiKey> CreateKeyAsync(string orgId, string name, string actor, CancellationToken cancellationToken)
    {
        var created = await keys.CreateAsync(orgId, name, cancellationToken).ConfigureAwait(false)
            ?? throw AdminApiException.NotFound("organization", orgId);
        await audit.AppendAsync(actor, AuditActions.KeyCreate, orgId, new { key_id = created.Key.Id, name, prefix = created.Key.Prefix }, CancellationToken.None).ConfigureAwait(false);
        AdminLog.KeyChanged(logger, orgId, created.Key.Id, created.Key.Prefix, "create", actor);
        return created;
    }

    public async Task<IReadOnlyList<ApiKeyEntity>> ListKeysAsync(string orgId, CancellationToken cancellationToken)
    {
        if (await organizations.FindAsync(orgId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw AdminApiException.NotFound("organization", orgId);
        }
        return await keys.ListAsync(orgId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Issues a replacement key; the old one keeps working for the grace period (default <c>Moat:Keys:RotationGraceSeconds</c>).</summary>
    public async Task<CreatedApiKey> RotateKeyAsync(string orgId, string keyId, string reason, int? graceSeconds, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var grace = graceSeconds ?? keyOptions.Value.RotationGraceSeconds;
        if (grace < 0)
        {
            throw AdminApiException.Invalid("'grace_seconds' must not be negative.", "grace_seconds");
        }
        _ = await keys.FindAsync(orgId, keyId, cancellationToken).ConfigureAwait(false) ?? throw AdminApiException.NotFound("key", keyId);
        var created = await keys.RotateAsync(orgId, keyId, TimeSpan.FromSeconds(grace), cancellationToken).ConfigureAwait(false)
            ?? throw AdminApiException.Conflict($"Key '{keyId}' is revoked or expired and cannot be rotated.");
        await audit.AppendAsync(actor, AuditActions.KeyRotate, orgId, new
        {
            key_id = keyId,
            new_key_id = created.Key.Id,
            prefix = created.Key.Prefix,
            grace_seconds = grace,
            reason,
        }, CancellationToken.None).ConfigureAwait(false);
        AdminLog.KeyChanged(logger, orgId, keyId, created.Key.Prefix, "rotate", actor);
        return created;
    }

    public async Task<ApiKeyEntity> RevokeKeyAsync(string orgId, string keyId, string reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var key = await keys.RevokeAsync(orgId, keyId, cancellationToken).ConfigureAwait(false)
            ?? throw AdminApiException.NotFound("key", keyId);
        await audit.AppendAsync(actor, AuditActions.KeyRevoke, orgId, new { key_id = keyId, prefix = key.Prefix, reason }, CancellationToken.None).ConfigureAwait(false);
        AdminLog.KeyChanged(logger, orgId, keyId, key.Prefix, "revoke", actor);
        return key;
    }

    // Moves a pending application to its decision with one conditional update, so two reviewers cannot both decide it.
    private async Task<ApplicationEntity> ClaimAsync(string id, ApplicationStatus decision, string? reason, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var claimed = await db.Applications
            .Where(a => a.Id == id && a.Status == ApplicationStatus.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(a => a.Status, decision)
                .SetProperty(a => a.ReviewedBy, actor)
                .SetProperty(a => a.ReviewedAt, now)
                .SetProperty(a => a.ReviewReason, reason), cancellationToken)
            .ConfigureAwait(false);
        var application = await db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken).ConfigureAwait(false)
            ?? throw AdminApiException.NotFound("application", id);
        if (claimed == 0)
        {
            throw AdminApiException.Conflict($"Application '{id}' is already {ApplicationResponse.Wire(application.Status)}.");
        }
        return application;
    }
}

/// <summary>An application that passed validation.</summary>
public sealed record ValidApplication(
    string OrganizationName,
    string ContactEmail,
    string IntendedUse,
    string UseCaseCategory,
    long ExpectedMonthlyTokens,
    string TermsVersion);
