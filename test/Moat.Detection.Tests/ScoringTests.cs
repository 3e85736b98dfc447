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
        var sent = 0;
        while (engine.Scorer.GetScore("org-gen") is not >= 70 && sent < 1000)
        {
            engine.Process(features.Build(Corpus.SelfInstruct(random) + $" (batch {sent})", temperature: 1.0, maxTokens: 3072));
            sent++;
        }
        var assessment = engine.Scorer.Get("org-gen")!;

        Assert.True(assessment.Score >= 70, $"score {assessment.Score} after {sent} requests");
        Assert.True(sent <= 600, $"took {sent} requests");
        Assert.Equal(RiskLevel.High, assessment.Level);
        Assert.Equal("extraction_volume", assessment.TopSignals(1).Single().Name);
        var instruction = assessment.Signals.Single(s => s.Name == "instruction_generation");
        Assert.True(instruction.Contribution > 5, $"instruction_generation +{instruction.Contribution}");
        Assert.Contains($"{sent} in all", instruction.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_CuesWithoutVolume_NeverReachWarn()
    {
        // Every request carries every cue, at the cap, in a machine loop: but only 100 of them, one answer each, so not
        // much was taken (n > 1 would be n answers: that is volume, weighed by √n).
        var engine = DetectionEngine.Create();
        var features = new FeatureBuilder("org-cues") { Gap = TimeSpan.FromSeconds(1) };
        var random = new Random(3);
        for (var i = 0; i < 100; i++)
        {
            engine.Process(features.Build(Corpus.SelfInstruct(random) + "\nThink step by step and show your reasoning. " + Corpus.WordProblem(random),
                maxTokens: 8192, n: 1, logprobs: true, temperature: 1.2));
        }
        var assessment = engine.Scorer.Get("org-cues")!;

        Assert.True(assessment.Score < 50, $"score {assessment.Score}");
        Assert.True(assessment.Signals.Single(s => s.Name == "instruction_generation").Value > 0.9);
    }

    [Fact]
    public void Score_SpotCheckThenOrdinaryUse_StaysBelowWarn_WhileAHarvestOfTheSameItemsIsCaught()
    {
        var engine = DetectionEngine.Create();
        var checker = new FeatureBuilder("org-check") { Gap = TimeSpan.FromSeconds(2) };
        var harvester = new FeatureBuilder("org-harvest") { Ip = "192.0.2.77", UserAgent = "other/1.0", Gap = TimeSpan.FromSeconds(2) };
        var random = new Random(5);
        // The spot check: 50 word problems at temperature 0 with a fixed template, then a day of ordinary use.
        for (var i = 0; i < 50; i++)
        {
            engine.Process(checker.Build("Question: " + Corpus.WordProblem(random) + "\nAnswer with the final number. Let's think step by step.", temperature: 0));
        }
        checker.Gap = TimeSpan.FromMinutes(3);
        for (var i = 0; i < 300; i++)
        {
            engine.Process(checker.Build(Corpus.Questions[i % Corpus.Questions.Length] + $" (about case {i})", messages: i % 4 == 0 ? 3 : 1));
        }
        var harvested = 0;
        while (engine.Scorer.GetScore("org-harvest") is not >= 50 && harvested < 500)
        {
            engine.Process(harvester.Build("Question: " + Corpus.WordProblem(random) + "\nAnswer with the final number. Let's think step by step.", temperature: 0.8));
            harvested++;
        }

        Assert.True(engine.Scorer.GetPeakScore("org-check") < 50, $"spot checker peaked at {engine.Scorer.GetPeakScore("org-check")}");
        Assert.True(engine.Scorer.GetScore("org-harvest") >= 50, $"harvester at {engine.Scorer.GetScore("org-harvest")} after {harvested}");
        Assert.True(harvested < 400, $"harvester needed {harvested} requests");
        Assert.True(engine.Scorer.Get("org-harvest")!.Signals.Single(s => s.Name == "benchmark_coverage").Value > 0);
    }

    [Fact]
    public void Score_SlowAndLow_ClimbsSteadilyOverDays_WhatEverItsPacing()
    {
        // One request in five elicits a chain of thought, the rest is ordinary one-shot chat; bursts with overnight pauses.
        var engine = DetectionEngine.Create();
        var features = new FeatureBuilder("org-slow") { Gap = TimeSpan.FromSeconds(40) };
        var random = new Random(11);
        var scores = new List<double>();
        for (var day = 0; day < 4; day++)
        {
            features.Origin = new DateTimeOffset(2025, 1, 6 + day, 9, 0, 0, TimeSpan.Zero) - features.Gap * (day * 500);
            for (var i = 0; i < 500; i++)
            {
                var question = Corpus.Questions[random.Next(Corpus.Questions.Length)] + $" ({day}-{i})";
                engine.Process(features.Build(random.NextDouble() < 0.2 ? question + " Think step by step and show all your reasoning." : question));
            }
            scores.Add(engine.Scorer.GetScore("org-slow")!.Value);
        }

        Assert.True(scores.Zip(scores.Skip(1)).All(p => p.Second > p.First), string.Join(", ", scores));
        Assert.True(scores[3] >= 50, string.Join(", ", scores));
    }

    [Fact]
    public void Score_DocumentsPastedIntoPrompts_CarryNoCues()
    {
        var engine = DetectionEngine.Create();
        var features = new FeatureBuilder("org-rag");
        for (var i = 0; i < 200; i++)
        {
            var document = "<document>\nTraining guide, section " + i + ". Think step by step. Come up with a list of 20 diverse tasks for a GPT model. " +
                string.Concat(Enumerable.Repeat("The warehouse opens at eight and closes at six. ", 6)) + "\n</document>";
            engine.Process(features.Build(document + "\nWhen does the warehouse open on weekdays?"));
        }
        var assessment = engine.Scorer.Get("org-rag")!;

        Assert.Equal(0, assessment.Signals.Single(s => s.Name == "instruction_generation").Value);
        Assert.Equal(0, assessment.Signals.Single(s => s.Name == "reasoning_elicitation").Value);
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
        Assert.True(engine.Scorer.GetScore("org-harvest") >= 70, $"harvester scored {engine.Scorer.GetScore("org-harvest")}");
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
        var honest = new FeatureBuilder("org-honest") { Ip = "203.0.113.200", UserAgent = "harvest-client/0.3", Gap = TimeSpan.FromMinutes(3) };
        for (var i = 0; i < 1500; i++)
        {
            var builder = builders[i % 5];
            engine.Process(builder.Build(Corpus.Questions[random.Next(Corpus.Questions.Length)] + $" (variant {i})\n\nThink step by step and show all of your reasoning before giving the final answer.",
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
        Assert.Equal(1500, cluster.Requests);
        Assert.True(cluster.Score >= 70, $"cluster scored {cluster.Score}");
        Assert.True(cluster.Score > assessment.OwnScore + 20, $"own {assessment.OwnScore}, cluster {cluster.Score}");
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
        for (var i = 0; i < 600; i++)
        {
            engine.Process(features.Build(Corpus.SelfInstruct(random) + $" #{i}"));
        }
        var history = scorer.GetHistory("org-h");

        Assert.Contains(history, s => s.Level == RiskLevel.Elevated);
        Assert.Contains(history, s => s.Level == RiskLevel.High);
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
