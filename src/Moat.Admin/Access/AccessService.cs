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
        await audit.WriteAsync((write, _) =>
        {
            write.Db.Applications.Add(application);
            write.Append("portal", AuditActions.ApplicationSubmit, application.Id, new
            {
                organization_name = application.OrganizationName,
                use_case_category = application.UseCaseCategory,
                terms_version = application.TermsVersion,
                client_ip = clientIp,
            });
            return Task.FromResult(application);
        }, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Approves a pending application: creates its organisation, active, in <paramref name="tier"/>. The decision, the
    /// organisation and the audit entry commit together.
    /// </summary>
    public async Task<ApplicationEntity> ApproveAsync(string id, string tier, string? reason, string actor, CancellationToken cancellationToken)
    {
        enforcement.RequireTier(tier);
        var application = await audit.WriteAsync(async (write, ct) =>
        {
            var claimed = await ClaimAsync(write.Db, id, ApplicationStatus.Approved, reason, actor, ct).ConfigureAwait(false);
            // The claim makes this the only approval of the application, so exactly one organisation is created.
            var organization = organizations.Create(write, claimed.OrganizationName, tier, OrgState.Active, claimed.ContactEmail, claimed.UseCaseCategory);
            claimed.OrgId = organization.Id;
            claimed.Tier = tier;
            write.Append(actor, AuditActions.ApplicationApprove, id, new { org_id = organization.Id, tier, reason });
            return claimed;
        }, cancellationToken).ConfigureAwait(false);
        await organizations.PublishAsync(application.OrgId!, "created").ConfigureAwait(false);
        AdminLog.ApplicationReviewed(logger, id, "approved", actor, application.OrgId);
        return application;
    }

    public async Task<ApplicationEntity> RejectAsync(string id, string reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var application = await audit.WriteAsync(async (write, ct) =>
        {
            var claimed = await ClaimAsync(write.Db, id, ApplicationStatus.Rejected, reason, actor, ct).ConfigureAwait(false);
            write.Append(actor, AuditActions.ApplicationReject, id, new { reason });
            return claimed;
        }, cancellationToken).ConfigureAwait(false);
        AdminLog.ApplicationReviewed(logger, id, "rejected", actor, null);
        return application;
    }

    public async Task<CreatedApiKey> CreateKeyAsync(string orgId, string name, string actor, CancellationToken cancellationToken)
    {
        var created = await audit.WriteAsync(async (write, ct) =>
        {
            var key = await keys.CreateAsync(write, orgId, name, ct).ConfigureAwait(false)
                ?? throw AdminApiException.NotFound("organization", orgId);
            write.Append(actor, AuditActions.KeyCreate, orgId, new { key_id = key.Key.Id, name, prefix = key.Key.Prefix });
            return key;
        }, cancellationToken).ConfigureAwait(false);
        await keys.PublishAsync(orgId, "key_created").ConfigureAwait(false);
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
        var created = await audit.WriteAsync(async (write, ct) =>
        {
            if (!await write.Db.ApiKeys.AnyAsync(k => k.Id == keyId && k.OrgId == orgId, ct).ConfigureAwait(false))
            {
                throw AdminApiException.NotFound("key", keyId);
            }
            var replacement = await keys.RotateAsync(write, orgId, keyId, TimeSpan.FromSeconds(grace), ct).ConfigureAwait(false)
                ?? throw AdminApiException.Conflict($"Key '{keyId}' is revoked or expired and cannot be rotated.");
            write.Append(actor, AuditActions.KeyRotate, orgId, new
            {
                key_id = keyId,
                new_key_id = replacement.Key.Id,
                prefix = replacement.Key.Prefix,
                grace_seconds = grace,
                reason,
            });
            return replacement;
        }, cancellationToken).ConfigureAwait(false);
        await keys.PublishAsync(orgId, "key_rotated").ConfigureAwait(false);
        AdminLog.KeyChanged(logger, orgId, keyId, created.Key.Prefix, "rotate", actor);
        return created;
    }

    public async Task<ApiKeyEntity> RevokeKeyAsync(string orgId, string keyId, string reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var key = await audit.WriteAsync(async (write, ct) =>
        {
            var revoked = await keys.RevokeAsync(write, orgId, keyId, ct).ConfigureAwait(false)
                ?? throw AdminApiException.NotFound("key", keyId);
            write.Append(actor, AuditActions.KeyRevoke, orgId, new { key_id = keyId, prefix = revoked.Prefix, reason });
            return revoked;
        }, cancellationToken).ConfigureAwait(false);
        await keys.PublishAsync(orgId, "key_revoked").ConfigureAwait(false);
        AdminLog.KeyChanged(logger, orgId, keyId, key.Prefix, "revoke", actor);
        return key;
    }

    // Moves a pending application to its decision with one conditional update, so two reviewers cannot both decide it.
    private async Task<ApplicationEntity> ClaimAsync(MoatDbContext db, string id, ApplicationStatus decision, string? reason, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claimed = await db.Applications
            .Where(a => a.Id == id && a.Status == ApplicationStatus.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(a => a.Status, decision)
                .SetProperty(a => a.ReviewedBy, actor)
                .SetProperty(a => a.ReviewedAt, now)
                .SetProperty(a => a.ReviewReason, reason), cancellationToken)
            .ConfigureAwait(false);
        var application = await db.Applications.FirstOrDefaultAsync(a => a.Id == id, cancellationToken).ConfigureAwait(false)
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
