namespace Moat.Provenance.Tests;

public sealed class FingerprinterTests
{
    private static readonly Fingerprinter Default = new(new ProvenanceOptions().FingerprintSettings());

    public static TheoryData<int> AnswerIndexes() => [.. Enumerable.Range(0, Fixtures.Answers.Count)];

    [Theory]
    [MemberData(nameof(AnswerIndexes))]
    public void ForQuery_NumbersRedacted_KeepsNearlyAllFingerprints(int index)
    {
        var text = Fixtures.Answers[index].Output;
        Assert.InRange(Shared(text, System.Text.RegularExpressions.Regex.Replace(text, @"\d+", "[REDACTED]")), 0.85, 1.0);
    }

    [Theory]
    [MemberData(nameof(AnswerIndexes))]
    public void ForQuery_Reformatted_KeepsMostFingerprints(int index)
    {
        var text = Fixtures.Answers[index].Output;
        Assert.InRange(Shared(text, TestData.Reformat(text)), 0.6, 1.0);
    }

    [Theory]
    [MemberData(nameof(AnswerIndexes))]
    public void ForQuery_ThirtyPercentWordsEdited_KeepsSome(int index)
    {
        var text = Fixtures.Answers[index].Output;
        Assert.InRange(Shared(text, TestData.Edit(text, 0.3, index)), 0.12, 1.0);
    }

    [Fact]
    public void ForQuery_RedactionMarkOrOtherName_SameFingerprints()
    {
        var original = new Fingerprinter(new ProvenanceOptions { SamplingModulus = 1 }.FingerprintSettings());
        var indexed = original.ForIndex("The famous actor Hugh Jackman won a Tony Award for his role in the Oz musical production.").ToHashSet();

        var redacted = original.ForQuery("The famous actor [REDACTED] won a [REDACTED] for his role in the [REDACTED] musical production.");
        var renamed = original.ForQuery("The famous actor Bob Smith won a Prize Award for his role in the Narnia musical production.");

        Assert.All(redacted, fp => Assert.Contains(fp, indexed));
        Assert.NotEmpty(redacted);
        Assert.Subset(renamed.ToHashSet(), redacted.ToHashSet());
    }

    [Fact]
    public void ForIndex_IsSortedAndDistinct()
    {
        var fps = Default.ForIndex(Fixtures.Answers[0].Output + " " + Fixtures.Answers[0].Output);
        Assert.NotEmpty(fps);
        for (var i = 1; i < fps.Length; i++) Assert.True(fps[i - 1] < fps[i]);
    }

    [Fact]
    public void ForQuery_ShortPassage_StillFingerprinted()
    {
        Assert.Single(new Fingerprinter(new ProvenanceOptions { SamplingModulus = 1, ShingleSize = 3 }.FingerprintSettings()).ForQuery("Quantum river"));
    }

    private static double Shared(string original, string changed)
    {
        var indexed = Default.ForIndex(original).ToHashSet();
        var query = Default.ForQuery(changed);
        return query.Length == 0 ? 0 : (double)query.Count(indexed.Contains) / query.Length;
    }
}
