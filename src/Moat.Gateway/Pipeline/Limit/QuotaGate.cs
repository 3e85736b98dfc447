using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Moat.Core.Access;
using Moat.Core.Errors;
using Moat.Core.Quotas;
using Moat.Gateway.Errors;
using Moat.Gateway.Quotas;
using Moat.Gateway.Telemetry;

namespace Moat.Gateway.Pipeline.Limit;

/// <summary>
/// Limit: reserves one request and the worst-case tokens, or refuses with 429. Owns the x-ratelimit-* headers and
/// the 429 texts, and charges every refused authenticated attempt against the request budget.
/// </summary>
internal sealed class QuotaGate(IRateLimiter limiter, GatewayMetrics metrics, ILogger<QuotaGate> logger)
{
    /// <summary>Reserves the call's cost; on refusal ends the call with the 429 and returns null.</summary>
    public async Task<RateLimitLease?> AcquireAsync(GatewayCall call, KeyEntry key, long tokens)
    {
        var context = call.Context;
        var decision = await limiter.AcquireAsync(Request(key, tokens), context.RequestAborted).ConfigureAwait(false);
        call.LimitStatus = decision.Status;
        RateLimitHeaders.Apply(context.Response.Headers, decision.Status);
        if (decision.Admitted)
        {
            return decision.Lease;
        }
        metrics.LimitRejected(decision.Rejection.ToString());
        GatewayLog.LimitRejected(logger, call.RequestId, decision.Rejection.ToString(), key.OrgId);
        var error = LimitError(decision, key, tokens);
        call.Fail(CallOutcome.Refused(error), error, decision.RetryAfter);
        return null;
    }

    /// <summary>Refuses an authenticated call before the limiter was asked: the attempt still costs a request.</summary>
    public async Task RefuseAsync(GatewayCall call, KeyEntry key, OpenAiError error)
    {
        call.Fail(CallOutcome.Refused(error), error);
        var status = await limiter.ChargeRefusalAsync(Request(key, 0), CancellationToken.None).ConfigureAwait(false);
        call.LimitStatus = status;
        if (!call.Context.Response.HasStarted)
        {
            RateLimitHeaders.Apply(call.Context.Response.Headers, status);
        }
    }

    /// <summary>The current state, for responses that consume no quota (GET /v1/models).</summary>
    public async Task PeekAsync(GatewayCall call, KeyEntry key)
    {
        var status = await limiter.PeekAsync(Request(key, 0), call.Context.RequestAborted).ConfigureAwait(false);
        call.LimitStatus = status;
        RateLimitHeaders.Apply(call.Context.Response.Headers, status);
    }

    /// <summary>Replaces the reservation with what the call really cost.</summary>
    public ValueTask SettleAsync(RateLimitLease lease, long tokens) => limiter.SettleAsync(lease, tokens, CancellationToken.None);

    private static RateLimitRequest Request(KeyEntry key, long tokens) =>
        new(key.OrgId, key.OrgLimits, key.KeyId, key.KeyLimits, tokens);

    private static OpenAiError LimitError(RateLimitDecision decision, KeyEntry key, long requested)
    {
        var wait = RateLimitHeaders.Duration(decision.RetryAfter);
        var status = decision.Status;
        return decision.Rejection switch
        {
            RateLimitRejection.Requests => OpenAiError.RateLimited(string.Create(CultureInfo.InvariantCulture,
                $"Rate limit reached for requests per minute (RPM) of organization {key.OrgId}: Limit {status.LimitRequests}, Remaining {status.RemainingRequests}. Please try again in {wait}.")),
            RateLimitRejection.Tokens when status.LimitTokens > 0 && requested > status.LimitTokens => ModelApiErrors.TokensRateLimited(string.Create(CultureInfo.InvariantCulture,
                $"Request too large for organization {key.OrgId} on tokens per minute (TPM): Limit {status.LimitTokens}, Requested {requested}. Reduce the prompt, max_tokens / max_completion_tokens or n.")),
            RateLimitRejection.Tokens => ModelApiErrors.TokensRateLimited(string.Create(CultureInfo.InvariantCulture,
                $"Rate limit reached for tokens per minute (TPM) of organization {key.OrgId}: Limit {status.LimitTokens}, Remaining {status.RemainingTokens}, Requested {requested}. Please try again in {wait}.")),
            _ => ModelApiErrors.InsufficientQuota(string.Create(CultureInfo.InvariantCulture,
                $"You exceeded your daily token quota (tokens per day) for organization {key.OrgId}; it resets at 00:00 UTC, in {wait}.")),
        };
    }
}
