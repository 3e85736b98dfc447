using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Core.Quotas;
using StackExchange.Redis;

namespace Moat.Redis;

/// <summary>
/// The scale-out limiter: the same buckets as <see cref="InProcessRateLimiter"/>, kept in Redis and updated by one
/// Lua script per acquire, so limits hold exactly across replicas. When Redis is unreachable the configured policy
/// applies: serve with this replica's in-process limiter ("Local") or refuse ("Reject").
/// </summary>
public sealed partial class RedisRateLimiter(
    IConnectionMultiplexer redis,
    InProcessRateLimiter local,
    IOptions<RedisOptions> options,
    TimeProvider time,
    ILogger<RedisRateLimiter> logger) : IRateLimiter
{
    private readonly RedisOptions _options = options.Value;

    // Leases handed out by the local fallback are settled locally as well.
    private readonly ConditionalWeakTable<RateLimitLease, object> _localLeases = new();

    public async ValueTask<RateLimitDecision> AcquireAsync(RateLimitRequest request, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        try
        {
            var result = await EvaluateAsync(request, now, today, ScriptMode.Take).ConfigureAwait(false);
            var rejection = (RateLimitRejection)(int)result[0];
            var status = StatusOf(result, request);
            var lease = rejection == RateLimitRejection.None ? new RateLimitLease(request, now, today) : null;
            return new RateLimitDecision(rejection, status, TimeSpan.FromMilliseconds((long)result[1]), lease);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RedisUnavailable(logger, ex.GetType().Name);
            if (_options.RejectWhenUnavailable)
            {
                var status = await local.PeekAsync(request, cancellationToken).ConfigureAwait(false);
                return new RateLimitDecision(RateLimitRejection.Requests, status, TimeSpan.FromSeconds(1), null);
            }
            var decision = await local.AcquireAsync(request, cancellationToken).ConfigureAwait(false);
            if (decision.Lease is not null)
            {
                _localLeases.AddOrUpdate(decision.Lease, this);
            }
            return decision;
        }
    }

    public async ValueTask SettleAsync(RateLimitLease lease, long actualTokens, CancellationToken cancellationToken = default)
    {
        if (_localLeases.TryGetValue(lease, out _))
        {
            await local.SettleAsync(lease, actualTokens, cancellationToken).ConfigureAwait(false);
            return;
        }
        var refund = lease.Request.Tokens - actualTokens;
        if (refund == 0)
        {
            return;
        }
        var hasKey = lease.Request.KeyLimits is { IsEmpty: false };
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(
                RedisTokenBucketScripts.Settle,
                [OrgKey(lease.Request), KeyKey(lease.Request)],
                [refund, DayOf(lease.Day), hasKey ? "1" : "0"]).WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // A lost refund only makes the limit stricter for a moment; it never over-admits.
            RedisUnavailable(logger, ex.GetType().Name);
        }
    }

    public async ValueTask<RateLimitStatus> PeekAsync(RateLimitRequest request, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        try
        {
            var result = await EvaluateAsync(request, now, DateOnly.FromDateTime(now.UtcDateTime), ScriptMode.Peek).ConfigureAwait(false);
            return StatusOf(result, request);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RedisUnavailable(logger, ex.GetType().Name);
            return await local.PeekAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<RateLimitStatus> ChargeRefusalAsync(RateLimitRequest request, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        try
        {
            var result = await EvaluateAsync(request, now, DateOnly.FromDateTime(now.UtcDateTime), ScriptMode.ChargeRefusal).ConfigureAwait(false);
            return StatusOf(result, request);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RedisUnavailable(logger, ex.GetType().Name);
            return await local.ChargeRefusalAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What the Acquire script does: look only, reserve (or charge the refused attempt), or charge a refusal.</summary>
    private enum ScriptMode
    {
        Peek = 0,
        Take = 1,
        ChargeRefusal = 2,
    }

    private TimeSpan Timeout => TimeSpan.FromMilliseconds(_options.CommandTimeoutMs);

    private async Task<long[]> EvaluateAsync(RateLimitRequest request, DateTimeOffset now, DateOnly today, ScriptMode mode)
    {
        var org = request.OrgLimits;
        var key = request.KeyLimits;
        var hasKey = key is { IsEmpty: false };
        var midnight = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            RedisTokenBucketScripts.Acquire,
            [OrgKey(request), KeyKey(request)],
            [
                now.ToUnixTimeMilliseconds(), DayOf(today), request.Tokens,
                Limit(org.RequestsPerMinute), Limit(org.TokensPerMinute), Limit(org.TokensPerDay),
                Limit(key?.RequestsPerMinute), Limit(key?.TokensPerMinute), Limit(key?.TokensPerDay),
                hasKey ? "1" : "0", ((int)mode).ToString(CultureInfo.InvariantCulture), midnight.ToUnixTimeMilliseconds(),
            ]).WaitAsync(Timeout).ConfigureAwait(false);
        return (long[])result!;
    }

    private static RateLimitStatus StatusOf(long[] r, RateLimitRequest request)
    {
        var org = new RateLimitStatus(r[2], r[3], TimeSpan.FromMilliseconds(r[4]), r[5], r[6], TimeSpan.FromMilliseconds(r[7]));
        if (request.KeyLimits is not { IsEmpty: false })
        {
            return org;
        }
        var key = new RateLimitStatus(r[8], r[9], TimeSpan.FromMilliseconds(r[10]), r[11], r[12], TimeSpan.FromMilliseconds(r[13]));
        return InProcessRateLimiter.Tighter(org, key);
    }

    private static long Limit(long? value) => value is > 0 ? value.Value : 0;

    private static string DayOf(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    // The org id in braces is the hash tag: both keys of one request live in the same cluster slot.
    private RedisKey OrgKey(RateLimitRequest request) => $"{_options.KeyPrefix}:rl:{{{request.OrgId}}}";

    private RedisKey KeyKey(RateLimitRequest request) => $"{_options.KeyPrefix}:rl:{{{request.OrgId}}}:k:{request.KeyId}";

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Redis unavailable for rate limiting ({Failure}); applying the configured unavailable policy")]
    private static partial void RedisUnavailable(ILogger logger, string failure);
}
