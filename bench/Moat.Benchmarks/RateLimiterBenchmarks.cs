using BenchmarkDotNet.Attributes;
using Moat.Core.Quotas;
using Moat.Gateway.Quotas;

namespace Moat.Benchmarks;

/// <summary>
/// <see cref="InProcessRateLimiter"/> admit + settle, as every request does: alone, then from two threads on the same
/// organisation (one monitor, contended) and on two organisations (no shared monitor).
/// </summary>
public class RateLimiterBenchmarks
{
    private const int PerThread = 10_000;
    private static readonly QuotaLimits Huge = new(int.MaxValue, long.MaxValue / 4, long.MaxValue / 4);

    private InProcessRateLimiter _limiter = null!;
    private RateLimitRequest _orgA = null!;
    private RateLimitRequest _orgB = null!;
    private RateLimitRequest _orgAWithKeyLimits = null!;

    [GlobalSetup]
    public void Setup()
    {
        _limiter = new InProcessRateLimiter(TimeProvider.System);
        _orgA = new RateLimitRequest("org_a", Huge, "key_a", null, 1_300);
        _orgB = new RateLimitRequest("org_b", Huge, "key_b", null, 1_300);
        _orgAWithKeyLimits = new RateLimitRequest("org_a", Huge, "key_a2", Huge, 1_300);
    }

    [Benchmark]
    public void AcquireSettle_Uncontended() => AcquireSettle(_orgA);

    [Benchmark]
    public void AcquireSettle_Uncontended_OrgAndKeyLimits() => AcquireSettle(_orgAWithKeyLimits);

    [Benchmark(OperationsPerInvoke = 2 * PerThread)]
    public void AcquireSettle_TwoThreads_SameOrg() => Parallel.Invoke(() => Loop(_orgA), () => Loop(_orgA));

    [Benchmark(OperationsPerInvoke = 2 * PerThread)]
    public void AcquireSettle_TwoThreads_TwoOrgs() => Parallel.Invoke(() => Loop(_orgA), () => Loop(_orgB));

    private void Loop(RateLimitRequest request)
    {
        for (var i = 0; i < PerThread; i++)
        {
            AcquireSettle(request);
        }
    }

    private void AcquireSettle(RateLimitRequest request)
    {
        var decision = _limiter.AcquireAsync(request).GetAwaiter().GetResult();
        // Settle with a different actual count, as a real request does (refund of the unused reservation).
        _limiter.SettleAsync(decision.Lease!, 420).GetAwaiter().GetResult();
    }
}
