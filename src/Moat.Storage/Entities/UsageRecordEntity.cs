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
}
