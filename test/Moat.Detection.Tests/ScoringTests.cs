using Microsoft.Extensions.Time.Testing;
using Moat.Core.Access;
using Moat.Core.Signals;
using Moat.Detection.Enforcement;
using Moat.Detection.Scoring;

namespace Moat.Detection.Tests;

public sealed class ScoringTests
{
    [Fact]
    public void Score_SelfInstructGenerator_ReachesCaseWithEvidence()
    {
        var engine = DetectionEngine.Create();
        var features = new FeatureBuilder("org-gen");
        var random = new Random(2);
        for (var i = 0; i < 60; i++)
        {
            engine.Process(features.Build(Corpus.SelfInstruct(random), temperature: 1.0, maxTokens: 3072));
        }
        var assessment = engine.Scorer.Get("org-gen")!;

        Assert.True(assessment.Score >= 80, $"score {assessment.Score}");
        Assert.Equal(RiskLevel.Critical, assessment.Level);
        var top = assessment.TopSignals(1).Single();
        Assert.Equal("instruction_generation", top.Name);
        Assert.Contains("60 of 60", top.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_BehaviourAlone_StaysBelowWarn()
    {
        // A fixed-rate translation job at its cap with max_tokens at the cap: every behaviour signal, no content signal.
        var engine = DetectionEngine.Create();
        var features = new FeatureBuilder("org-batch") { Gap = TimeSpan.FromSeconds(2) };
        var random = new Random(4);
        for (var i = 0; i < 3000; i++)
        {
            engine.Process(features.Build("Translate into German:\n\n" + Corpus.SupportQuestion(random), maxTokens: 8192, n: 2) with
            {
                TokensPerMinuteLimit = 10_000,
                TokensRemaining = 100,
            });
        }
        Assert.True(engine.Scorer.GetPeakScore("org-batch") < 50, $"peak {engine.Scorer.GetPeakScore("org-batch")}");
    }

    [Fact]
    public void Score_PersonAskingStepByStep_StaysLow()
    {
        var engine = DetectionEngine.Create();
        var features = new FeatureBuilder("org-person") { Gap = TimeSpan.FromMinutes(2) };
        for (var i = 0; i < 20; i++)
        {
            engine.Process(features.Build(Corpus.Questions[i] + " Explain it step by step please.", messages: 1 + i % 3 * 2));
        }
        Assert.True(engine.Scorer.GetPeakScore("org-person") < 20);
    }

    [Fact]
    public void AllowListedEvaluationOrg_RunsBenchmark_NotFlagged_UnlistedOrgIs()
    {
        var orgs = new FixedOrgs(new OrgContext("org-eval", OrgState.Active, "evaluation", AllowBenchmarks: true));
        var engine = DetectionEngine.Create(orgs: orgs);
        var eval = new FeatureBuilder("org-eval");
        var harvester = new FeatureBuilder("org-harvest") { Ip = "192.0.2.50", UserAgent = "other-client/2.0" };
        var random = new Random(6);
        for (var i = 0; i < 300; i++)
        {
            var problem = Corpus.WordProblem(random);
            engine.Process(eval.Build(problem + "\nLet's think step by step."));
            engine.Process(harvester.Build(problem + "\nLet's think step by step."));
        }
        var evalAssessment = engine.Scorer.Get("org-eval")!;

        Assert.True(evalAssessment.Score < 50, $"allow-listed eval org scored {evalAssessment.Score}");
        Assert.Contains("allow-listed", evalAssessment.Signals.Single(s => s.Name == "benchmark_match").Evidence, StringComparison.Ordinal);
        Assert.True(engine.Scorer.GetScore("org-harvest") >= 80);
    }

    [Fact]
    public void Override_AllowBenchmarks_AppliesWithoutUseCase()
    {
        var enforcement = new EnforcementOptions { Overrides = { ["org-x"] = new OrgEnforcementOverride { AllowBenchmarks = true } } };
        var engine = DetectionEngine.Create(enforcement: enforcement);
        var features = new FeatureBuilder("org-x");
        var random = new Random(8);
        for (var i = 0; i < 200; i++)
        {
            engine.Process(features.Build(Corpus.WordProblem(random)));
        }
        Assert.True(engine.Scorer.GetScore("org-x") < 50);
    }

    [Fact]
    public void Hydra_KeysSpreadOverOrgs_AreClusteredAndScoredTogether()
    {
        var engine = DetectionEngine.Create();
        var random = new Random(9);
        var builders = Enumerable.Range(0, 5).Select(i => new FeatureBuilder($"org-hydra-{i}")
        {
            Ip = $"198.51.100.{10 + i}",
            UserAgent = "harvest-client/0.3",
            Gap = TimeSpan.FromSeconds(5),
        }).ToArray();
        var honest = new FeatureBuilder("org-honest") { Ip = "198.51.100.200", UserAgent = "harvest-client/0.3", Gap = TimeSpan.FromMinutes(3) };
        for (var i = 0; i < 400; i++)
        {
            var builder = builders[i % 5];
            engine.Process(builder.Build(Corpus.Questions[random.Next(Corpus.Questions.Length)] + "\n\nThink step by step and show all of your reasoning before giving the final answer.",
                key: $"key-{i % 20}", n: 2, temperature: 0.9));
            if (i % 20 == 0)
            {
                engine.Process(honest.Build(Corpus.Questions[random.Next(Corpus.Questions.Length)], messages: 3));
            }
        }
        var assessment = engine.Scorer.Get("org-hydra-0")!;

        Assert.NotNull(assessment.ClusterId);
        Assert.Equal(4, assessment.LinkedOrgs.Count);
        Assert.All(assessment.LinkedOrgs, l => Assert.Contains("SharedTemplate", l.Reasons));
        Assert.Null(engine.Scorer.Get("org-honest")!.ClusterId);
        var cluster = engine.Scorer.GetCluster(assessment.ClusterId!)!;
        Assert.Equal(400, cluster.Requests);
        Assert.True(cluster.Score >= 80);
        Assert.Contains(cluster.Signals, s => s.Name == "cross_tenant_coordination" && s.Contribution > 0);
    }

    [Fact]
    public void History_RecordsLevelChanges_AndSnapshotsReachTheSink()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 6, 0, 0, 0, TimeSpan.Zero));
        var sink = new ListSnapshotSink();
        var state = new DetectionState(new DetectionOptions());
        var scorer = new RiskScorer(state, NoOrgContextProvider.Instance, new EnforcementOptions(), time);
        var engine = new DetectionEngine(state, scorer, Benchmarks.BenchmarkIndex.Empty, [], sink, Microsoft.Extensions.Logging.Abstractions.NullLogger<DetectionEngine>.Instance);
        var features = new FeatureBuilder("org-h");
        var random = new Random(1);
        for (var i = 0; i < 40; i++)
        {
            engine.Process(features.Build(Corpus.SelfInstruct(random)));
        }
        var history = scorer.GetHistory("org-h");

        Assert.Contains(history, s => s.Level == RiskLevel.Critical);
        Assert.Equal(history.Count, sink.Snapshots.Count);
        Assert.True(history.Zip(history.Skip(1)).All(p => p.First.At <= p.Second.At));
    }

    [Fact]
    public async Task Post_NeverBlocks_DropsOldestWhenFull()
    {
        var engine = DetectionEngine.Create(new DetectionOptions { ChannelCapacity = 64 });
        var features = new FeatureBuilder("org-p");
        for (var i = 0; i < 1000; i++)
        {
            engine.Post(features.Build("hello there"));
        }
        Assert.Equal(1000, engine.Posted);
        Assert.Equal(1000 - 64, engine.Dropped);

        using var cancellation = new CancellationTokenSource();
        var loop = engine.RunAsync(cancellation.Token);
        await engine.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();
        await loop;
        Assert.Equal(64, engine.Processed);
    }

    private sealed class FixedOrgs(params OrgContext[] contexts) : IOrgContextProvider
    {
        public OrgContext? Get(string orgId) => contexts.FirstOrDefault(c => c.OrgId == orgId);
    }

    private sealed class ListSnapshotSink : IRiskSnapshotSink
    {
        public List<RiskSnapshot> Snapshots { get; } = [];

        public void Write(RiskSnapshot snapshot) => Snapshots.Add(snapshot);
    }
}
