using Moat.Detection.Linkage;

namespace Moat.Detection.Tests;

/// <summary>
/// Correlated timing means the same minutes, not the same hours: from the fifth held-out population's false positives
/// (SEO agencies linked by office hours and a common prompt phrasing).
/// </summary>
public sealed class TimingCorrelationTests
{
    private static readonly DateTimeOffset Day = new(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Bursts of a few minutes at random moments within office hours (09:00–17:00).</summary>
    private static ActivityMinutes OfficeBursts(int seed)
    {
        var random = new Random(seed);
        var activity = new ActivityMinutes();
        for (var burst = 0; burst < 12; burst++)
        {
            var start = Day.AddHours(9).AddMinutes(random.Next(0, 8 * 60 - 10));
            for (var m = 0; m < 8; m++)
            {
                activity.Mark(start.AddMinutes(m));
            }
        }
        return activity;
    }

    [Fact]
    public void Tenants_busy_in_the_same_office_hours_but_not_the_same_minutes_do_not_coincide()
    {
        // Many independent pairs: none may look coordinated (the old uniform-chance rule linked some of them).
        for (var seed = 0; seed < 40; seed++)
        {
            Assert.Equal(0, OfficeBursts(2 * seed).Similarity(OfficeBursts(2 * seed + 1)));
        }
    }

    [Fact]
    public void Keys_fed_by_one_queue_coincide_minute_by_minute()
    {
        var random = new Random(7);
        var a = new ActivityMinutes();
        var b = new ActivityMinutes();
        for (var minute = 9 * 60; minute < 17 * 60; minute++)
        {
            if (random.NextDouble() < 0.3)
            {
                // One job queue: both accounts run in the minutes it has work, and pause together.
                a.Mark(Day.AddMinutes(minute));
                b.Mark(Day.AddMinutes(minute));
            }
        }
        Assert.True(a.Similarity(b) > 0.9, $"similarity {a.Similarity(b):F2}");
    }
}
