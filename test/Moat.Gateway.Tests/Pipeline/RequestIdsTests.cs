using Moat.Gateway.Pipeline;
using Xunit;

namespace Moat.Gateway.Tests.Pipeline;

/// <summary>Request ids sort by the time of their call and carry no counter.</summary>
public sealed class RequestIdsTests
{
    [Fact]
    public void Next_LaterCall_SortsAfter_AndSameMillisecondIdsDiffer()
    {
        var t0 = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
        var sameMillisecond = Enumerable.Range(0, 1_000).Select(_ => RequestIds.Next(t0)).ToList();
        var later = RequestIds.Next(t0.AddMilliseconds(1));

        Assert.All(sameMillisecond, id => Assert.Matches("^req_[0-9a-f]{24}$", id));
        Assert.Equal(sameMillisecond.Count, sameMillisecond.Distinct().Count());
        Assert.All(sameMillisecond, id => Assert.True(string.CompareOrdinal(id, later) < 0, $"{id} should sort before {later}"));
        Assert.All(sameMillisecond, id => Assert.StartsWith("req_" + t0.ToUnixTimeMilliseconds().ToString("x12"), id));
    }

    [Fact]
    public void Next_ConsecutiveIds_RandomPartIsNotACounter()
    {
        var t0 = DateTimeOffset.UnixEpoch.AddDays(20_000);
        var tails = Enumerable.Range(0, 200).Select(_ => Convert.ToUInt64(RequestIds.Next(t0)[16..], 16)).ToList();
        var steps = tails.Zip(tails.Skip(1), (a, b) => (long)b - (long)a).ToList();
        Assert.True(steps.Count(s => Math.Abs(s) <= 1_000) < 5, "consecutive ids must not differ by a small step");
    }
}
