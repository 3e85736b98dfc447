namespace Moat.Storage.Entities;

/// <summary>An API key of an organisation (table <c>api_keys</c>). Only the SHA-256 hash of the secret is stored.</summary>
public sealed class ApiKeyEntity
{
    public string Id { get; set; } = "";
    public string OrgId { get; set; } = "";
    public string Name { get; set; } = "";
    public string KeyHash { get; set; } = "";

    /// <summary>The first characters of the secret, safe to show in lists.</summary>
    public string Prefix { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Set on a rotated key: the end of its grace period.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    public string? RotatedFromId { get; set; }

    /// <summary>Per-key limits; null inherits the organisation's.</summary>
    public int? RequestsPerMinute { get; set; }
    public long? TokensPerMinute { get; set; }
    public long? TokensPerDay { get; set; }

    public OrganizationEntity? Organization { get; set; }
}
