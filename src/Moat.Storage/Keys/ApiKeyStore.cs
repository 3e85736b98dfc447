using Microsoft.EntityFrameworkCore;
using Moat.Core.Access;
using Moat.Core.Changes;
using Moat.Core.Quotas;
using Moat.Storage.Entities;

namespace Moat.Storage;

/// <summary>
/// Issues, lists, rotates and revokes API keys. The secret is returned once at creation; only its SHA-256 hash
/// and a short display prefix are stored. Every change publishes <see cref="OrgChanged"/> after commit (the audited
/// ones, taking an <see cref="AuditedWrite"/>, leave that to the caller).
/// </summary>
public sealed class ApiKeyStore(IDbContextFactory<MoatDbContext> contexts, IChangeFeed changes, TimeProvider time)
{
    /// <summary>A new key for the organisation, or null when the organisation does not exist.</summary>
    public async Task<CreatedApiKey?> CreateAsync(string orgId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        CreatedApiKey created;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await db.Organizations.AnyAsync(o => o.Id == orgId, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
            created = NewKey(orgId, name);
            db.ApiKeys.Add(created.Key);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        await PublishAsync(orgId, "key_created").ConfigureAwait(false);
        return created;
    }

    public async Task<IReadOnlyList<ApiKeyEntity>> ListAsync(string orgId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.ApiKeys.AsNoTracking()
            .Where(k => k.OrgId == orgId)
            .OrderBy(k => k.Id)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<ApiKeyEntity?> FindAsync(string orgId, string keyId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.ApiKeys.AsNoTracking()
            .FirstOrDefaultAsync(k => k.Id == keyId && k.OrgId == orgId, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Inside an audited transaction: a new key for the organisation, or null when the organisation does not exist.</summary>
    public async Task<CreatedApiKey?> CreateAsync(AuditedWrite write, string orgId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!await write.Db.Organizations.AnyAsync(o => o.Id == orgId, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        var created = NewKey(orgId, name);
        write.Db.ApiKeys.Add(created.Key);
        return created;
    }

    /// <summary>
    /// Inside an audited transaction: revokes the key now (idempotent: a revoked key keeps its first revocation time).
    /// Null when not found. The caller publishes after the commit.
    /// </summary>
    public async Task<ApiKeyEntity?> RevokeAsync(AuditedWrite write, string orgId, string keyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var key = await write.Db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.OrgId == orgId, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return null;
        }
        key.RevokedAt ??= time.GetUtcNow();
        return key;
    }

    /// <summary>
    /// Inside an audited transaction: issues a replacement key (same name and limits) and lets the old one work for
    /// <paramref name="grace"/> more. Null when the key does not exist or is already revoked or expired. The caller
    /// publishes after the commit.
    /// </summary>
    public async Task<CreatedApiKey?> RotateAsync(AuditedWrite write, string orgId, string keyId, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        var now = time.GetUtcNow();
        var old = await write.Db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.OrgId == orgId, cancellationToken).ConfigureAwait(false);
        if (old is null || old.RevokedAt <= now || old.ExpiresAt <= now)
        {
            return null;
        }
        var graceEnd = now + grace;
        old.ExpiresAt = old.ExpiresAt is { } existing && existing < graceEnd ? existing : graceEnd;

        var created = NewKey(orgId, old.Name);
        created.Key.RotatedFromId = old.Id;
        created.Key.RequestsPerMinute = old.RequestsPerMinute;
        created.Key.TokensPerMinute = old.TokensPerMinute;
        created.Key.TokensPerDay = old.TokensPerDay;
        write.Db.ApiKeys.Add(created.Key);
        return created;
    }

    /// <summary>Replaces the key's own limits; a null member inherits the organisation's. Null when not found.</summary>
    public async Task<ApiKeyEntity?> UpdateLimitsAsync(string orgId, string keyId, QuotaLimits limits, CancellationToken cancellationToken = default)
    {
        ApiKeyEntity? key;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.OrgId == orgId, cancellationToken).ConfigureAwait(false);
            if (key is null)
            {
                return null;
            }
            key.RequestsPerMinute = limits.RequestsPerMinute;
            key.TokensPerMinute = limits.TokensPerMinute;
            key.TokensPerDay = limits.TokensPerDay;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        await PublishAsync(orgId, "key_limits").ConfigureAwait(false);
        return key;
    }

    private CreatedApiKey NewKey(string orgId, string name)
    {
        var secret = ApiKeySecret.Generate();
        var key = new ApiKeyEntity
        {
            Id = EntityId.New(EntityId.ApiKey, time),
            OrgId = orgId,
            Name = name,
            KeyHash = ApiKeySecret.Hash(secret),
            Prefix = ApiKeySecret.DisplayPrefix(secret),
            CreatedAt = time.GetUtcNow(),
        };
        return new CreatedApiKey(key, secret);
    }

    /// <summary>Tells every replica's key directory that the organisation's keys changed; call it after the commit.</summary>
    public Task PublishAsync(string orgId, string reason) =>
        changes.PublishAsync(new OrgChanged(orgId, reason), CancellationToken.None);
}

/// <summary>A newly issued key and its secret; the secret is not stored and cannot be shown again.</summary>
public sealed record CreatedApiKey(ApiKeyEntity Key, string Secret)
{
    // The secret must not end up in logs through a record's generated ToString.
    public override string ToString() => $"CreatedApiKey {{ Key = {Key.Id}, Prefix = {Key.Prefix} }}";
}
