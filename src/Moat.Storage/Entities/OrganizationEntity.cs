using Moat.Core.Access;

namespace Moat.Storage.Entities;

/// <summary>A customer organisation (table <c>organizations</c>).</summary>
public sealed class OrganizationEntity
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public OrgState State { get; set; }
    public string Tier { get; set; } = "";

    /// <summary>Overrides of the tier's limits; null inherits the tier's value.</summary>
    public int? RequestsPerMinute { get; set; }
    public long? TokensPerMinute { get; set; }
    public long? TokensPerDay { get; set; }

    public string? UseCaseCategory { get; set; }
    public string? ContactEmail { get; set; }

    /// <summary>Declared benchmark use; the detection engine does not count benchmark signals against it.</summary>
    public bool AllowBenchmarks { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency token, incremented on every update.</summary>
    public int Version { get; set; }

    public List<ApiKeyEntity> Keys { get; set; } = [];
}
