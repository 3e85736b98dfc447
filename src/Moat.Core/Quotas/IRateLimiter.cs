namespace Moat.Core.Quotas;

/// <summary>
/// Admits requests against per-organisation and per-key quotas. Implementations must be exact under
/// concurrency: N racing requests against a limit of L admit exactly min(N, L).
/// </summary>
public interface IRateLimiter
{
    /// <summary>Reserves one request and <see cref="RateLimitRequest.Tokens"/> tokens, or rejects without reserving anything.</summary>
    ValueTask<RateLimitDecision> AcquireAsync(RateLimitRequest request, CancellationToken cancellationToken = default);

    /// <summary>Replaces a lease's reserved token estimate with the tokens really used (refunding or charging the difference).</summary>
    ValueTask SettleAsync(RateLimitLease lease, long actualTokens, CancellationToken cancellationToken = default);

    /// <summary>The current state without reserving anything (for headers on responses that consume no quota).</summary>
    ValueTask<RateLimitStatus> PeekAsync(RateLimitRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Charges one request against the per-minute request budget for an authenticated attempt that was refused before
    /// the limiter was asked (bad request, suspended organisation, unknown model): as OpenAI documents for its own
    /// limits, refused attempts count, so a retry loop keeps itself out. The debt is capped at one window.
    /// Returns the status after the charge.
    /// </summary>
    ValueTask<RateLimitStatus> ChargeRefusalAsync(RateLimitRequest request, CancellationToken cancellationToken = default);
}

/// <summary>What a request asks the limiter for. Limits are already effective (tier, overrides and throttling applied).</summary>
public sealed record RateLimitRequest(
    string OrgId,
    QuotaLimits OrgLimits,
    string KeyId,
    QuotaLimits? KeyLimits,
    long Tokens);

/// <summary>Why a request was refused.</summary>
public enum RateLimitRejection
{
    None,
    Requests,
    Tokens,
    DailyTokens,
}

/// <summary>The numbers behind the x-ratelimit-* headers. Limits of zero mean "unlimited".</summary>
public readonly record struct RateLimitStatus(
    long LimitRequests,
    long RemainingRequests,
    TimeSpan ResetRequests,
    long LimitTokens,
    long RemainingTokens,
    TimeSpan ResetTokens);

/// <summary>A reservation to settle when the real usage is known.</summary>
public sealed record RateLimitLease(RateLimitRequest Request, DateTimeOffset AcquiredAt, DateOnly Day);

/// <summary>The limiter's answer: admitted with a lease, or rejected with a retry delay.</summary>
public sealed record RateLimitDecision(
    RateLimitRejection Rejection,
    RateLimitStatus Status,
    TimeSpan RetryAfter,
    RateLimitLease? Lease)
{
    public bool Admitted => Rejection == RateLimitRejection.None;
}
