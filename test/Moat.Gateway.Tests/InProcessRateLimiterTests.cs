using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Moat.Core.Quotas;
using Moat.Gateway.Quotas;

namespace Moat.Gateway.Tests;

public sealed class InProcessRateLimiterTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static RateLimitRequest Request(QuotaLimits org, long tokens = 0, QuotaLimits? key = null, string orgId = "org_a", string keyId = "key_a") =>
        new(orgId, org, keyId, key, tokens);

    [Fact]
    public async Task Acquire_RequestsPerMinute_AdmitsExactlyLimitThenRefillsContinuously()
    {
        var clock = new FakeTimeProvider(Noon);
        var limiter = new InProcessRateLimiter(clock);
        var limits = new QuotaLimits(6, null, null);

        var admitted = 0;
        for (var i = 0; i < 6; i++)
        {
            admitted += (await limiter.AcquireAsync(Request(limits))).Admitted ? 1 : 0;
        }
        var refused = await limiter.AcquireAsync(Request(limits));
        clock.Advance(TimeSpan.FromSeconds(10)); // 6 per minute = one every 10 s; the refused attempt cost one
        var stillOut = await limiter.AcquireAsync(Request(limits));
        clock.Advance(TimeSpan.FromSeconds(20));
        var again = await limiter.AcquireAsync(Request(limits));

        Assert.Equal(6, admitted);
        Assert.Equal(RateLimitRejection.Requests, refused.Rejection);
        Assert.Equal(TimeSpan.FromSeconds(10), refused.RetryAfter);
        Assert.False(stillOut.Admitted);
        Assert.True(again.Admitted);
        Assert.Equal(0, again.Status.RemainingRequests);
    }

    [Fact]
    public async Task Acquire_RefusalLoop_KeepsTheClientOutButDebtIsCappedAtOneWindow()
    {
        var clock = new FakeTimeProvider(Noon);
        var limiter = new InProcessRateLimiter(clock);
        var limits = new QuotaLimits(6, null, null);
        for (var i = 0; i < 1000; i++)
        {
            await limiter.AcquireAsync(Request(limits));
        }

        clock.Advance(TimeSpan.FromSeconds(60)); // debt capped at -6: one window refills to 0
        var atZero = await limiter.AcquireAsync(Request(limits));
        clock.Advance(TimeSpan.FromSeconds(80)); // -1 after the refused attempt, +8 → 6 (full)
        var back = await limiter.AcquireAsync(Request(limits));

        Assert.False(atZero.Admitted);
        Assert.True(back.Admitted);
        Assert.Equal(5, back.Status.RemainingRequests);
    }

    [Fact]
    public async Task ChargeRefusal_CountsAgainstRequestsOnly()
    {
        var limiter = new InProcessRateLimiter(new FakeTimeProvider(Noon));
        var limits = new QuotaLimits(3, 1000, null);

        var status = await limiter.ChargeRefusalAsync(Request(limits));

        Assert.Equal(2, status.RemainingRequests);
        Assert.Equal(1000, status.RemainingTokens);
    }

    [Fact]
    public async Task Preload_FromLedger_ResumesDayAndWindow()
    {
        var clock = new FakeTimeProvider(Noon);
        var limiter = new InProcessRateLimiter(clock);
        var totals = new Moat.Core.Ledger.LedgerUsageTotals(
            new Dictionary<string, Moat.Core.Ledger.ChargedUsage> { ["org_a"] = new(TokensToday: 900, RequestsInWindow: 4, TokensInWindow: 300) },
            new Dictionary<string, Moat.Core.Ledger.ChargedUsage>());
        limiter.Preload(totals, clock.GetUtcNow());

        var status = await limiter.PeekAsync(Request(new QuotaLimits(10, 1000, null)));
        var overDay = await limiter.AcquireAsync(Request(new QuotaLimits(10, 1000, 1000), tokens: 200));

        Assert.Equal(6, status.RemainingRequests);
        Assert.Equal(700, status.RemainingTokens);
        Assert.Equal(RateLimitRejection.DailyTokens, overDay.Rejection);
    }

    [Fact]
    public async Task Acquire_TokensPerMinute_ReservationSettledRefundsDifference()
    {
        var limiter = new InProcessRateLimiter(new FakeTimeProvider(Noon));
        var limits = new QuotaLimits(null, 1000, null);

        var first = await limiter.AcquireAsync(Request(limits, tokens: 800));
        Assert.Equal(200, first.Status.RemainingTokens);
        Assert.False((await limiter.AcquireAsync(Request(limits, tokens: 300))).Admitted);

        await limiter.SettleAsync(first.Lease!, actualTokens: 100);
        var second = await limiter.AcquireAsync(Request(limits, tokens: 300));

        Assert.True(second.Admitted);
        Assert.Equal(600, second.Status.RemainingTokens);
    }

    [Fact]
    public async Task Acquire_RequestLargerThanMinuteBudget_RefusedWithFullWindowWait()
    {
        var limiter = new InProcessRateLimiter(new FakeTimeProvider(Noon));
        var decision = await limiter.AcquireAsync(Request(new QuotaLimits(null, 100, null), tokens: 101));
        Assert.Equal(RateLimitRejection.Tokens, decision.Rejection);
        Assert.Equal(TimeSpan.FromMinutes(1), decision.RetryAfter);
    }

    [Fact]
    public async Task Acquire_DailyCap_RefusesUntilUtcMidnight()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 22, 30, 0, TimeSpan.Zero));
        var limiter = new InProcessRateLimiter(clock);
        var limits = new QuotaLimits(null, null, 500);

        Assert.True((await limiter.AcquireAsync(Request(limits, tokens: 400))).Admitted);
        var refused = await limiter.AcquireAsync(Request(limits, tokens: 200));
        clock.Advance(TimeSpan.FromMinutes(90));
        var nextDay = await limiter.AcquireAsync(Request(limits, tokens: 200));

        Assert.Equal(RateLimitRejection.DailyTokens, refused.Rejection);
        Assert.Equal(TimeSpan.FromMinutes(90), refused.RetryAfter);
        Assert.True(nextDay.Admitted);
    }

    [Fact]
    public async Task Acquire_KeyLimitsTighterThanOrg_KeyBucketRefusesAndAttemptCountsForBoth()
    {
        var limiter = new InProcessRateLimiter(new FakeTimeProvider(Noon));
        var org = new QuotaLimits(100, null, null);
        var key = new QuotaLimits(2, null, null);

        Assert.True((await limiter.AcquireAsync(Request(org, key: key))).Admitted);
        var second = await limiter.AcquireAsync(Request(org, key: key));
        var third = await limiter.AcquireAsync(Request(org, key: key));
        var otherKey = await limiter.AcquireAsync(Request(org, keyId: "key_b"));

        Assert.True(second.Admitted);
        Assert.Equal(0, second.Status.RemainingRequests); // headers report the tighter scope
        Assert.False(third.Admitted);
        Assert.Equal(96, otherKey.Status.RemainingRequests); // the refused attempt cost a request at org level too
    }

    [Fact]
    public async Task Acquire_ChangedLimit_TakesEffectImmediately()
    {
        var limiter = new InProcessRateLimiter(new FakeTimeProvider(Noon));
        await limiter.AcquireAsync(Request(new QuotaLimits(10, null, null)));
        var lowered = await limiter.AcquireAsync(Request(new QuotaLimits(2, null, null)));
        // A lowered limit caps what is left (9 → 2), then this request takes one.
        Assert.Equal(2, lowered.Status.LimitRequests);
        Assert.Equal(1, lowered.Status.RemainingRequests);
        Assert.True((await limiter.AcquireAsync(Request(new QuotaLimits(2, null, null)))).Admitted);
        Assert.False((await limiter.AcquireAsync(Request(new QuotaLimits(2, null, null)))).Admitted);
    }

    [Fact]
    public async Task Acquire_SixtyFourRacers_LimitTen_ExactlyTen()
    {
        var limiter = new InProcessRateLimiter(new FakeTimeProvider(Noon));
        var limits = new QuotaLimits(10, null, null);
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () => (await limiter.AcquireAsync(Request(limits))).Admitted)));
        Assert.Equal(10, results.Count(a => a));
    }

    [Fact]
    public void Acquire_AnyConcurrentMix_NeverOverAdmits()
    {
        // Property: for any limit and any number of racing requests with any token sizes, admitted requests
        // never exceed the request limit and admitted tokens never exceed the token limit.
        Gen.Select(Gen.Int[1, 20], Gen.Int[1, 80], Gen.Long[1, 200].Array[80], Gen.Long[100, 2000])
            .Sample((rpm, racers, sizes, tpm) =>
            {
                var limiter = new InProcessRateLimiter(new FakeTimeProvider(Noon));
                var limits = new QuotaLimits(rpm, tpm, null);
                var admitted = new System.Collections.Concurrent.ConcurrentBag<long>();
                Parallel.For(0, racers, i =>
                {
                    var decision = limiter.AcquireAsync(Request(limits, tokens: sizes[i])).AsTask().GetAwaiter().GetResult();
                    if (decision.Admitted)
                    {
                        admitted.Add(sizes[i]);
                    }
                });
                return admitted.Count <= rpm && admitted.Sum() <= tpm;
            }, iter: 200);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(120, "120ms")]
    [InlineData(1000, "1s")]
    [InlineData(6500, "6.5s")]
    [InlineData(60_000, "1m0s")]
    [InlineData(361_000, "6m1s")]
    [InlineData(3_723_000, "1h2m3s")]
    public void Duration_OpenAiFormat(int milliseconds, string expected) =>
        Assert.Equal(expected, RateLimitHeaders.Duration(TimeSpan.FromMilliseconds(milliseconds)));
}
