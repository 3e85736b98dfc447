using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moat.Core.Access;
using Moat.Core.Errors;
using Moat.Core.Quotas;
using Moat.Gateway.Errors;
using Moat.Gateway.Pipeline;
using Moat.Gateway.Pipeline.Limit;

namespace Moat.Gateway.Tests.Pipeline;

/// <summary>Limit on its own, against the real in-process limiter and a fake clock.</summary>
public sealed class QuotaGateTests
{
    private readonly FakeTimeProvider _clock = Stage.Clock();
    private readonly InProcessRateLimiter _limiter;
    private readonly QuotaGate _gate;

    public QuotaGateTests()
    {
        _limiter = new InProcessRateLimiter(_clock);
        _gate = new QuotaGate(_limiter, Stage.Metrics(), NullLogger<QuotaGate>.Instance);
    }

    private static KeyEntry Key(int rpm = 5, long tpm = 1000, long? tpd = null) => Stage.Key(orgLimits: new QuotaLimits(rpm, tpm, tpd));

    private static string Header(GatewayCall call, string name) => call.Context.Response.Headers[name].ToString();

    [Fact]
    public async Task AcquireAsync_Admitted_ReturnsLeaseAndSetsHeaders()
    {
        var call = Stage.Call(Key());

        var lease = await _gate.AcquireAsync(call, call.Key!, 300);

        Assert.NotNull(lease);
        Assert.Equal(300, lease.Request.Tokens);
        Assert.Equal(OutcomeKind.Pending, call.Outcome.Kind);
        Assert.Null(call.PendingError);
        Assert.Equal("5", Header(call, "x-ratelimit-limit-requests"));
        Assert.Equal("4", Header(call, "x-ratelimit-remaining-requests"));
        Assert.Equal("1000", Header(call, "x-ratelimit-limit-tokens"));
        Assert.Equal("700", Header(call, "x-ratelimit-remaining-tokens"));
        Assert.Equal(700, call.LimitStatus!.Value.RemainingTokens);
    }

    [Fact]
    public async Task AcquireAsync_RequestsExhausted_RefusedWith429AndRetryAfter()
    {
        var key = Key(rpm: 1);
        await _gate.AcquireAsync(Stage.Call(key), key, 1);
        var call = Stage.Call(key);

        var lease = await _gate.AcquireAsync(call, key, 1);

        Assert.Null(lease);
        Assert.Equal(OutcomeKind.Refused, call.Outcome.Kind);
        Assert.Equal(429, call.Outcome.Status);
        Assert.Equal("rate_limit_exceeded", call.Outcome.ErrorCode);
        Assert.Equal("requests", call.PendingError!.Type);
        Assert.Contains("(RPM)", call.PendingError.Message);
        Assert.True(call.RetryAfter > TimeSpan.Zero, $"Retry-After {call.RetryAfter}");
        Assert.Equal("0", Header(call, "x-ratelimit-remaining-requests"));
    }

    [Fact]
    public async Task AcquireAsync_MoreTokensThanTheMinuteBudget_RefusedAsRequestTooLarge()
    {
        var call = Stage.Call(Key(tpm: 1000));

        var lease = await _gate.AcquireAsync(call, call.Key!, 5000);

        Assert.Null(lease);
        Assert.Equal(429, call.Outcome.Status);
        Assert.Equal("tokens", call.PendingError!.Type);
        Assert.Contains("Requested 5000", call.PendingError.Message);
        Assert.Equal(TimeSpan.FromMinutes(1), call.RetryAfter);
    }

    [Fact]
    public async Task AcquireAsync_TokensSpentThisMinute_RefusedWithTokensWait()
    {
        var key = Key(tpm: 1000);
        await _gate.AcquireAsync(Stage.Call(key), key, 900);
        var call = Stage.Call(key);

        var lease = await _gate.AcquireAsync(call, key, 200);

        Assert.Null(lease);
        Assert.Equal("rate_limit_exceeded", call.Outcome.ErrorCode);
        Assert.Contains("Remaining 100", call.PendingError!.Message);
        Assert.InRange(call.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task AcquireAsync_DailyQuotaSpent_InsufficientQuotaUntilMidnight()
    {
        var key = Key(rpm: 100, tpm: 100_000, tpd: 500);
        await _gate.AcquireAsync(Stage.Call(key), key, 450);
        var call = Stage.Call(key);

        await _gate.AcquireAsync(call, key, 100);

        Assert.Equal("insufficient_quota", call.Outcome.ErrorCode);
        Assert.Equal(429, call.PendingError!.Status);
        Assert.Equal(TimeSpan.FromHours(12), call.RetryAfter); // Noon → 00:00 UTC
    }

    [Fact]
    public async Task AcquireAsync_RefusedCallAlreadyEnded_FirstOutcomeKept()
    {
        var key = Key(rpm: 1);
        await _gate.AcquireAsync(Stage.Call(key), key, 1);
        var call = Stage.Call(key);
        call.Fail(CallOutcome.Refused(ModelApiErrors.AccountSuspended()), ModelApiErrors.AccountSuspended());

        await _gate.AcquireAsync(call, key, 1);

        Assert.Equal("account_suspended", call.Outcome.ErrorCode);
    }

    [Fact]
    public async Task RefuseAsync_ChargesOneRequest_RemainingRequestsDrops()
    {
        var key = Key(rpm: 5);
        var first = Stage.Call(key);
        var second = Stage.Call(key);

        await _gate.RefuseAsync(first, key, ModelApiErrors.ModelNotFound("x"));
        await _gate.RefuseAsync(second, key, ModelApiErrors.ModelNotFound("x"));

        Assert.Equal("4", Header(first, "x-ratelimit-remaining-requests"));
        Assert.Equal("3", Header(second, "x-ratelimit-remaining-requests"));
        Assert.Equal(OutcomeKind.Refused, first.Outcome.Kind);
        Assert.Equal(404, first.Outcome.Status);
        Assert.Equal("model_not_found", first.PendingError!.Code);
        Assert.Null(first.RetryAfter);
    }

    [Fact]
    public async Task RefuseAsync_RefusalLoop_KeepsTheKeyOutOfTheLimiter()
    {
        var key = Key(rpm: 3);
        for (var i = 0; i < 3; i++)
        {
            await _gate.RefuseAsync(Stage.Call(key), key, OpenAiError.InvalidRequest("bad"));
        }
        var call = Stage.Call(key);

        var lease = await _gate.AcquireAsync(call, key, 1);

        Assert.Null(lease);
        Assert.Equal(429, call.Outcome.Status);
    }

    [Fact]
    public async Task PeekAsync_ReservesNothing_RemainingUnchanged()
    {
        var key = Key(rpm: 5);
        var call = Stage.Call(key);

        await _gate.PeekAsync(call, key);
        await _gate.PeekAsync(call, key);

        Assert.Equal("5", Header(call, "x-ratelimit-remaining-requests"));
    }

    [Fact]
    public async Task SettleAsync_ActualBelowReservation_RefundsTheDifference()
    {
        var key = Key(tpm: 1000);
        var lease = await _gate.AcquireAsync(Stage.Call(key), key, 800);

        await _gate.SettleAsync(lease!, 100);
        var status = await _limiter.PeekAsync(new RateLimitRequest(key.OrgId, key.OrgLimits, key.KeyId, null, 0));

        Assert.Equal(900, status.RemainingTokens);
    }
}
