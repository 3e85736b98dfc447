namespace Moat.Core.Ledger;

/// <summary>One row of the usage ledger: every request that reached the gateway with a valid key.</summary>
public sealed record UsageRecord
{
    public required string RequestId { get; init; }
    public required string OrgId { get; init; }
    public required string KeyId { get; init; }
    public required string Endpoint { get; init; }
    public string? Model { get; init; }
    public bool Stream { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public int Status { get; init; }
    public string? ErrorCode { get; init; }
    public string? Upstream { get; init; }
    public double LatencyMs { get; init; }
    public DateTimeOffset Timestamp { get; init; }
    public string? ClientIp { get; init; }
    public string? UserAgent { get; init; }
}

/// <summary>Accepts ledger records from the request path; durable writing happens in the background in batches.</summary>
public interface ILedgerSink
{
    /// <summary>Queues a record. Never drops: when the queue is full the caller waits (the response is already sent).</summary>
    ValueTask WriteAsync(UsageRecord record, CancellationToken cancellationToken = default);
}
