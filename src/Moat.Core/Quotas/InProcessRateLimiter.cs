using System.Collections.Concurrent;
using Moat.Core.Ledger;
using Moat.Core.Quotas;

namespace Moat.Core.Quotas;

/// <summary>
/// Exact in-process limiter for the embedded default: per-minute token buckets for requests and tokens and a
/// UTC-day token counter, per organisation and (when the key has its own limits) per key. Each scope's check
/// and reservation happen under one monitor, so racing requests can never over-admit.
/// </summary>
public sealed class InProcessRateLimiter(TimeProvider time) : IRateLimiter
{
    // Separate maps for the two scopes, so no scope-key string is built per request.
    private readonly ConcurrentDictionary<string, QuotaState> _orgs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, QuotaState> _keys = new(StringComparer.Ordinal);

    public ValueTask<RateLimitDecision> AcquireAsync(RateLimitRequest request, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var org = State(_orgs, request.OrgId);
        var key = request.KeyLimits is { IsEmpty: false } ? State(_keys, request.KeyId) : null;
        lock (org)
        {
            if (key is null)
            {
                return ValueTask.FromResult(Decide(request, now, today, org, request.OrgLimits, null, null));
            }
            lock (key)
            {
                return ValueTask.FromResult(Decide(request, now, today, org, request.OrgLimits, key, request.KeyLimits));
            }
        }
    }

    public ValueTask SettleAsync(RateLimitLease lease, long actualTokens, CancellationToken cancellationToken = default)
    {
        var difference = lease.Request.Tokens - actualTokens;
        if (difference == 0)
        {
            return ValueTask.CompletedTask;
        }
        Adjust(State(_orgs, lease.Request.OrgId), lease, difference);
        if (lease.Request.KeyLimits is { IsEmpty: false })
        {
            Adjust(State(_keys, lease.Request.KeyId), lease, difference);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<RateLimitStatus> ChargeRefusalAsync(RateLimitRequest request, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var org = State(_orgs, request.OrgId);
        var key = request.KeyLimits is { IsEmpty: false } ? State(_keys, request.KeyId) : null;
        RateLimitStatus status;
        lock (org)
        {
            Refresh(org, request.OrgLimits, now, today);
            ChargeAttempt(org, request.OrgLimits);
            status = StatusOf(org, request.OrgLimits);
        }
        if (key is not null)
        {
            lock (key)
            {
                Refresh(key, request.KeyLimits!, now, today);
                ChargeAttempt(key, request.KeyLimits!);
                status = Tighter(status, StatusOf(key, request.KeyLimits!));
            }
        }
        return ValueTask.FromResult(status);
    }

    /// <summary>
    /// Resumes counters after a restart from what the ledger already charged: today's tokens and the last window's
    /// requests and tokens, per organisation and per key. Call before the first request.
    /// </summary>
    public void Preload(LedgerUsageTotals totals, DateTimeOffset at)
    {
        var today = DateOnly.FromDateTime(at.UtcDateTime);
        Preload(_orgs, totals.Organizations, at, today);
        Preload(_keys, totals.Keys, at, today);
    }

    private static void Preload(ConcurrentDictionary<string, QuotaState> scope, IReadOnlyDictionary<string, ChargedUsage> usage, DateTimeOffset at, DateOnly today)
    {
        foreach (var (id, charged) in usage)
        {
            var state = State(scope, id);
            lock (state)
            {
                state.Day = today;
                state.DayUsed = charged.TokensToday;
                state.Requests.Preload(charged.RequestsInWindow, at);
                state.Tokens.Preload(charged.TokensInWindow, at);
            }
        }
    }

    private static void ChargeAttempt(QuotaState state, QuotaLimits limits)
    {
        if (limits.RequestsPerMinute is > 0)
        {
            state.Requests.Charge(1);
        }
    }

    public ValueTask<RateLimitStatus> PeekAsync(RateLimitRequest request, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var org = State(_orgs, request.OrgId);
        lock (org)
        {
            Refresh(org, request.OrgLimits, now, today);
            return ValueTask.FromResult(StatusOf(org, request.OrgLimits));
        }
    }

    private static QuotaState State(ConcurrentDictionary<string, QuotaState> scope, string id) =>
        scope.TryGetValue(id, out var state) ? state : scope.GetOrAdd(id, static _ => new QuotaState());

    private static void Adjust(QuotaState state, RateLimitLease lease, long difference)
    {
        lock (state)
        {
            state.Tokens.Adjust(difference);
            if (state.Day == lease.Day)
            {
                state.DayUsed = Math.Max(0, state.DayUsed - difference);
            }
        }
    }

    private static RateLimitDecision Decide(
        RateLimitRequest request, DateTimeOffset now, DateOnly today,
        QuotaState org, QuotaLimits orgLimits, QuotaState? key, QuotaLimits? keyLimits)
    {
        Refresh(org, orgLimits, now, today);
        if (key is not null)
        {
            Refresh(key, keyLimits!, now, today);
        }
        var (rejection, retryAfter) = Check(org, orgLimits, request.Tokens, now);
        if (rejection == RateLimitRejection.None && key is not null)
        {
            (rejection, retryAfter) = Check(key, keyLimits!, request.Tokens, now);
        }
        if (rejection == RateLimitRejection.None)
        {
            Take(org, orgLimits, request.Tokens);
            if (key is not null)
            {
                Take(key, keyLimits!, request.Tokens);
            }
        }
        else
        {
            // A refused attempt still costs a request, so hammering a limit keeps the client out rather than probing it.
            ChargeAttempt(org, orgLimits);
            if (key is not null)
            {
                ChargeAttempt(key, keyLimits!);
            }
        }
        var status = StatusOf(org, orgLimits);
        if (key is not null)
        {
            status = Tighter(status, StatusOf(key, keyLimits!));
        }
        var lease = rejection == RateLimitRejection.None ? new RateLimitLease(request, now, today) : null;
        return new RateLimitDecision(rejection, status, retryAfter, lease);
    }

    private static void Refresh(QuotaState state, QuotaLimits limits, DateTimeOffset now, DateOnly today)
    {
        state.Requests.Refill(Math.Max(0, limits.RequestsPerMinute ?? 0), now);
        state.Tokens.Refill(Math.Max(0, limits.TokensPerMinute ?? 0), now);
        state.RollDay(today);
    }

    private static (RateLimitRejection, TimeSpan) Check(QuotaState state, QuotaLimits limits, long tokens, DateTimeOffset now)
    {
        if (limits.RequestsPerMinute is > 0 && !state.Requests.CanTake(1))
        {
            return (RateLimitRejection.Requests, state.Requests.TimeUntil(1));
        }
        if (limits.TokensPerMinute is > 0 && !state.Tokens.CanTake(tokens))
        {
            // A request larger than the whole minute budget can never pass; say so with a full-window wait.
            var wait = tokens > limits.TokensPerMinute ? TimeSpan.FromMinutes(1) : state.Tokens.TimeUntil(tokens);
            return (RateLimitRejection.Tokens, wait);
        }
        if (limits.TokensPerDay is > 0 && state.DayUsed + tokens > limits.TokensPerDay)
        {
            var midnight = new DateTimeOffset(state.Day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return (RateLimitRejection.DailyTokens, midnight - now);
        }
        return (RateLimitRejection.None, TimeSpan.Zero);
    }

    private static void Take(QuotaState state, QuotaLimits limits, long tokens)
    {
        if (limits.RequestsPerMinute is > 0)
        {
            state.Requests.Take(1);
        }
        if (limits.TokensPerMinute is > 0)
        {
            state.Tokens.Take(tokens);
        }
        state.DayUsed += tokens;
    }

    private static RateLimitStatus StatusOf(QuotaState state, QuotaLimits limits) => new(
        limits.RequestsPerMinute is > 0 ? limits.RequestsPerMinute.Value : 0,
        limits.RequestsPerMinute is > 0 ? state.Requests.Remaining : 0,
        limits.RequestsPerMinute is > 0 ? state.Requests.TimeUntilFull : TimeSpan.Zero,
        limits.TokensPerMinute is > 0 ? limits.TokensPerMinute.Value : 0,
        limits.TokensPerMinute is > 0 ? state.Tokens.Remaining : 0,
        limits.TokensPerMinute is > 0 ? state.Tokens.TimeUntilFull : TimeSpan.Zero);

    /// <summary>The headers report whichever scope leaves less room.</summary>
    public static RateLimitStatus Tighter(RateLimitStatus a, RateLimitStatus b)
    {
        var requests = b.LimitRequests > 0 && (a.LimitRequests == 0 || b.RemainingRequests < a.RemainingRequests) ? b : a;
        var tokens = b.LimitTokens > 0 && (a.LimitTokens == 0 || b.RemainingTokens < a.RemainingTokens) ? b : a;
        return new RateLimitStatus(
            requests.LimitRequests, requests.RemainingRequests, requests.ResetRequests,
            tokens.LimitTokens, tokens.RemainingTokens, tokens.ResetTokens);
    }
}
