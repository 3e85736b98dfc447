namespace Moat.Provenance.Tests;

public sealed class AlignmentScorerTests
{
    private static readonly string Source = Fixtures.Answers.First(a => a.Generator == "gpt4_1106_preview" && a.Output.Split(' ').Length > 150).Output;

    private static ushort[] Codes(string text) => WordSequencer.Encode(TextNormalizer.Normalize(text), 2048);

    /// <summary>Every content word w.p. <paramref name="share"/> replaced by another content word: no word is dropped.</summary>
    private static ushort[] Substitute(ushort[] codes, double share, int seed)
    {
        var random = new Random(seed);
        var result = (ushort[])codes.Clone();
        for (var i = 0; i < result.Length; i++)
        {
            if (random.NextDouble() < share) result[i] = (ushort)(random.Next(1, WordSequencer.HashMask) & WordSequencer.HashMask);
        }

        return result;
    }

    [Fact]
    public void Score_SubstitutedCopy_KeepsMostOfTheExactCopysScoreWithTheSubstitutionMove()
    {
        var stored = Codes(Source);
        var leaked = Substitute(stored, 0.3, 7);
        var exact = new AlignmentScorer(1, 8, 0.5).Score(stored, stored);
        var withMove = new AlignmentScorer(1, 8, 0.5).Score(leaked, stored);
        var withoutMove = new AlignmentScorer(1, 8, 2).Score(leaked, stored);

        // 70% kept, 30% substituted at 0.5 each: ≈ 0.55 of the exact score; as two skips (round 3) ≈ 0.1.
        Assert.InRange(withMove / exact, 0.45, 0.65);
        Assert.True(withoutMove < withMove / 2, $"without the move {withoutMove:F1}, with it {withMove:F1}");
    }

    [Fact]
    public void Score_MismatchPenaltyOfTwoGaps_IsRoundThreesAlignment()
    {
        var stored = Codes(Source);
        var leaked = Substitute(stored, 0.3, 11);
        Assert.Equal(new AlignmentScorer(1, 8, 2).ScoreAndFraction(leaked, stored), new AlignmentScorer(1, 8, 100).ScoreAndFraction(leaked, stored));
    }

    [Fact]
    public void Score_SubstitutionsAlone_NeverScore()
    {
        var stored = Codes(Source);
        var unrelated = Substitute(stored, 1.0, 3);
        Assert.True(new AlignmentScorer(1, 8, 0.5).Score(unrelated, stored) <= 2);
    }

    [Fact]
    public void Score_IsTheScoreOfScoreAndFraction()
    {
        var stored = Codes(Source);
        var scorer = new AlignmentScorer(1, 8, 0.5);
        for (var seed = 0; seed < 20; seed++)
        {
            var leaked = Substitute(stored, 0.05 * seed, seed);
            var (score, fraction) = scorer.ScoreAndFraction(leaked, stored);
            Assert.Equal(score, scorer.Score(leaked, stored));
            Assert.InRange(fraction, 0, 1);
        }

        Assert.Equal(1.0, scorer.ScoreAndFraction(stored, stored).MatchedFraction);
    }
}
