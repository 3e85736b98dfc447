namespace Moat.Storage.Entities;

/// <summary>An admin bearer token, stored only as its SHA-256 hash (table <c>admin_tokens</c>).</summary>
public sealed class AdminTokenEntity
{
    public string Id { get; set; } = "";
    public string TokenHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string? Description { get; set; }
}
