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

    /// <summary>Where the charged token counts came from: <c>upstream</c> (the model server's usage), <c>reservation</c>
    /// (the upstream reported none, so the worst case reserved at admission is charged) or <c>counted</c> (the gateway
    /// counted what it relayed before a break or cancellation). Null for requests that were not served.</summary>
    public string? UsageSource { get; init; }

    /// <summary>How many attempts this row stands for: 1, or more for a summarised run of identical refusals
    /// (same key, status and code within one minute).</summary>
    public int Attempts { get; init; } = 1;
}

/// <summary>Values of <see cref="UsageRecord.UsageSource"/>.</summary>
public static class UsageSources
{
    public const string Upstream = "upstream";
    public const string Reservation = "reservation";
    public const string Counted = "counted";
}

/// <summary>Accepts ledger records from the request path; durable writing happens in the background in batches.</summary>
public interface ILedgerSink
{
    /// <summary>Queues a record. Never drops: when the queue is full the caller waits (the response is already sent).</summary>
    ValueTask WriteAsync(UsageRecord record, CancellationToken cancellationToken = default);
}
