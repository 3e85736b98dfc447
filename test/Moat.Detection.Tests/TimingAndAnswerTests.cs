using Moat.Core.Signals;
using Moat.Detection.Linkage;
using Moat.Detection.Signals;

namespace Moat.Detection.Tests;

/// <summary>
/// Correlated timing means the same minutes, not the same hours; and what a request takes is weighed by the answer's
/// length. Both came from the fifth held-out population's false positives (SEO agencies linked by office hours and a
/// common prompt phrasing; a spreadsheet add-in's one-line cells counted as whole answers).
/// </summary>
public sealed class TimingAndAnswerTests
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

    [Theory]
    [InlineData(0L, 32, 0.16)]     // not reported: bounded by max_tokens
    [InlineData(0L, 100, 0.5)]
    [InlineData(0L, null, 1.0)]
    [InlineData(12L, 1500, 0.1)]   // a one-line cell
    [InlineData(400L, 1500, 1.0)]  // an explanation
    [InlineData(150L, 1500, 0.75)]
    public void An_answer_counts_in_proportion_to_its_length(long completionTokens, int? maxTokens, double expected)
    {
        var features = new RequestFeatures { RequestId = "r", OrgId = "o", KeyId = "k", Model = "m", Endpoint = "/v1/chat/completions", Timestamp = Day, CompletionTokens = completionTokens, MaxTokens = maxTokens };
        Assert.Equal(expected, ExtractionVolume.AnswerShare(features), 3);
    }

    [Fact]
    public void Choices_share_the_completion_tokens()
    {
        var features = new RequestFeatures { RequestId = "r", OrgId = "o", KeyId = "k", Model = "m", Endpoint = "/v1/chat/completions", Timestamp = Day, CompletionTokens = 800, N = 4 };
        Assert.Equal(1.0, ExtractionVolume.AnswerShare(features), 3);
        Assert.Equal(0.5, ExtractionVolume.AnswerShare(features with { N = 8 }), 3);
    }
}
