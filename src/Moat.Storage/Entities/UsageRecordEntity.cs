namespace Moat.Storage.Entities;

/// <summary>One ledger row (table <c>usage_records</c>), append-only.</summary>
public sealed class UsageRecordEntity
{
    public long Id { get; set; }
    public string RequestId { get; set; } = "";
    public string OrgId { get; set; } = "";
    public string KeyId { get; set; } = "";
    public string Endpoint { get; set; } = "";
    public string? Model { get; set; }
    public bool Stream { get; set; }
    public long PromptTokens { get; set; }
    public long CompletionTokens { get; set; }
    public int Status { get; set; }
    public string? ErrorCode { get; set; }
    public string? Upstream { get; set; }
    public double LatencyMs { get; set; }
    public DateTimeOffset Timestamp { get; set; }

    /// <summary>Whole hours since the Unix epoch (UTC) of <see cref="Timestamp"/>, so both providers can group by hour and day.</summary>
    public long HourBucket { get; set; }

    public string? ClientIp { get; set; }
    public string? UserAgent { get; set; }

    /// <summary>Where the charged token counts came from (<c>upstream</c>, <c>reservation</c>, <c>counted</c>); null when not served.</summary>
    public string? UsageSource { get; set; }

    /// <summary>Attempts this row stands for: 1, or more for a summarised run of identical refusals.</summary>
    public int Attempts { get; set; } = 1;
}
