using Moat.Core.Quotas;

namespace Moat.Core.Access;

/// <summary>
/// An immutable snapshot of everything the request path needs about one API key and its organisation.
/// </summary>
public sealed record KeyEntry(
    string KeyId,
    string KeyHash,
    string OrgId,
    string OrgName,
    OrgState State,
    string Tier,
    QuotaLimits OrgLimits,
    QuotaLimits? KeyLimits,
    int DefaultMaxTokens,
    TierOptions TierOptions,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? ExpiresAt)
{
    /// <summary>True when the key itself (not its organisation) may be used at <paramref name="now"/>.</summary>
    public bool IsUsableAt(DateTimeOffset now) =>
        (RevokedAt is null || RevokedAt > now) && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>Resolves bearer secrets to <see cref="KeyEntry"/> snapshots without touching the database per request.</summary>
public interface IKeyDirectory
{
    /// <summary>The entry for a SHA-256 key hash (see <see cref="ApiKeySecret.Hash(string)"/>), or null.</summary>
    KeyEntry? FindByHash(string keyHash);

    /// <summary>Reloads one organisation's keys and state (called by the change feed).</summary>
    Task RefreshOrgAsync(string orgId, CancellationToken cancellationToken = default);

    /// <summary>Reloads everything.</summary>
    Task RefreshAllAsync(CancellationToken cancellationToken = default);
}
