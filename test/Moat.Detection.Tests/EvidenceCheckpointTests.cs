using Moat.Detection.Scoring;

namespace Moat.Detection.Tests;

/// <summary>An organisation's evidence written out and read back: the score carries on where it was.</summary>
public sealed class EvidenceCheckpointTests
{
    [Fact]
    public void ExportThenImport_IntoAFreshEngine_SameScoreAndItKeepsClimbing()
    {
        var before = DetectionEngine.Create();
        var features = new FeatureBuilder("org-cp") { Gap = TimeSpan.FromSeconds(5) };
        var random = new Random(21);
        for (var i = 0; i < 500; i++)
        {
            before.Process(features.Build("Question: " + Corpus.WordProblem(random) + " Let's think step by step.", temperature: 0.7));
        }
        var scoreBefore = before.Scorer.GetScore("org-cp")!.Value;
        var evidence = State(before).Orgs["org-cp"].ExportEvidence();
        Assert.NotNull(evidence);
        Assert.DoesNotContain("Maria", evidence, StringComparison.Ordinal); // counters and sketches, never prompt text

        var after = DetectionEngine.Create();
        var restored = State(after).GetOrAdd("org-cp");
        Assert.True(restored.ImportEvidence(evidence));
        after.Process(features.Build("Question: " + Corpus.WordProblem(random) + " Let's think step by step.", temperature: 0.7));
        before.Process(features.Build("Question: " + Corpus.WordProblem(random) + " Let's think step by step.", temperature: 0.7));

        Assert.True(scoreBefore >= 50, $"score {scoreBefore}");
        Assert.Equal(before.Scorer.GetScore("org-cp")!.Value, after.Scorer.GetScore("org-cp")!.Value, 0.5);
        Assert.Equal(501, after.Scorer.Get("org-cp")!.Requests);
    }

    [Fact]
    public void Import_EvidenceOfTheEarlierOpeningLayout_KeepsItsMass()
    {
        // Written when openings had 8 classes (cued × max_tokens bucket): 9 + 24 volume fields. Restored with the mass in
        // one never-followed-up class, like evidence older than classes, rather than dropped.
        var before = DetectionEngine.Create();
        var features = new FeatureBuilder("org-old") { Gap = TimeSpan.FromSeconds(5) };
        var random = new Random(22);
        for (var i = 0; i < 500; i++)
        {
            before.Process(features.Build("Question: " + Corpus.WordProblem(random) + " Let's think step by step.", temperature: 0.7));
        }
        var json = System.Text.Json.Nodes.JsonNode.Parse(State(before).Orgs["org-old"].ExportEvidence()!)!;
        var volume = json["volume"]!.AsArray();
        while (volume.Count > 9 + 3 * 8)
        {
            volume.RemoveAt(volume.Count - 1);
        }

        var after = DetectionEngine.Create();
        Assert.True(State(after).GetOrAdd("org-old").ImportEvidence(json.ToJsonString()));
        Assert.Equal(State(before).Orgs["org-old"].Volume.Mass, State(after).Orgs["org-old"].Volume.Mass, 0.001);
        Assert.Equal(State(before).Orgs["org-old"].Volume.Kept(false), State(after).Orgs["org-old"].Volume.Kept(false), 0.001);
    }

    [Fact]
    public void Import_UnknownVersionOrGarbage_IsIgnored()
    {
        var engine = DetectionEngine.Create();
        var state = State(engine).GetOrAdd("org-x");

        Assert.False(state.ImportEvidence("{\"version\":99}"));
        Assert.False(state.ImportEvidence("not json"));
        Assert.Null(state.ExportEvidence());
    }

    private static DetectionState State(DetectionEngine engine) => engine.State;
}
