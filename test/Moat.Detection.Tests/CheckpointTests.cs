using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moat.Core.Signals;
using Moat.Detection.Enforcement;
using Moat.Detection.Persistence;
using Moat.Detection.Scoring;

namespace Moat.Detection.Tests;

/// <summary>Detection state across restarts: restore into <see cref="DetectionState"/> and <see cref="PolicyEngine"/>, and the checkpointer.</summary>
public sealed class CheckpointTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Restore_MoreSnapshotsThanCapacity_KeepsTheMostRecentOldestFirstWithScoreAndPeak()
    {
        var state = new DetectionState(new DetectionOptions { HistoryCapacity = 8 });
        var scorer = new RiskScorer(state, NoOrgContextProvider.Instance, new EnforcementOptions(), TimeProvider.System);
        var history = Enumerable.Range(0, 12).Reverse()
            .Select(i => new RiskSnapshot("org-a", T0.AddMinutes(5 * i), i == 2 ? 93 : 40 + i, i == 2 ? RiskLevel.Critical : RiskLevel.Low, null, null))
            .ToList();
        var checkpoint = new DetectionCheckpoint("org-a", T0.AddHours(2), EnforcementStep.Warn, EnforcementStep.None, 61.5, 70, null);

        var restored = state.Restore([checkpoint], history, scorer.LevelOf);

        Assert.Equal(1, restored);
        var kept = scorer.GetHistory("org-a");
        Assert.Equal(Enumerable.Range(4, 8).Select(i => T0.AddMinutes(5 * i)), kept.Select(s => s.At));
        Assert.Equal(61.5, scorer.GetScore("org-a"));
        Assert.Equal(70, scorer.GetPeakScore("org-a"));
        Assert.Equal(RiskLevel.Elevated, scorer.Get("org-a")!.Level);
    }

    [Fact]
    public void Restore_HistoryWithoutCheckpoint_ScoreFromLatestSnapshotPeakFromAll()
    {
        var state = new DetectionState(new DetectionOptions());
        var scorer = new RiskScorer(state, NoOrgContextProvider.Instance, new EnforcementOptions(), TimeProvider.System);
        RiskSnapshot[] history =
        [
            new("org-b", T0, 30, RiskLevel.Low, null, null),
            new("org-b", T0.AddMinutes(10), 55, RiskLevel.Elevated, null, null),
            new("org-b", T0.AddMinutes(5), 82, RiskLevel.High, null, null),
        ];

        state.Restore([], history, scorer.LevelOf);

        Assert.Equal(55, scorer.GetScore("org-b"));
        Assert.Equal(82, scorer.GetPeakScore("org-b"));
        Assert.Equal([30, 82, 55], scorer.GetHistory("org-b").Select(s => s.Score));
    }

    [Fact]
    public async Task Restore_WarnedWithoutEvidence_RebuiltScoreCrossingAgainIsNotWarnedAgain()
    {
        var (engine, actions, policy) = Build();
        policy.Restore([new DetectionCheckpoint("org-gen", T0, EnforcementStep.Warn, EnforcementStep.None, 60, 60, null)]);

        await HarvestAsync(engine, policy, "org-gen", 200);

        Assert.DoesNotContain("warn:org-gen", actions.Calls);
        Assert.Contains("throttle:org-gen", actions.Calls);
        Assert.True(policy.TakenFor("org-gen").HasFlag(EnforcementStep.Warn));
    }

    [Fact]
    public async Task NoRestore_SameTraffic_IsWarned()
    {
        var (engine, actions, policy) = Build();

        await HarvestAsync(engine, policy, "org-gen", 200);

        Assert.Contains("warn:org-gen", actions.Calls);
    }

    [Fact]
    public async Task SaveChangedAsync_AfterRestore_WritesOnlyOrganisationsThatChanged()
    {
        var store = new MemoryStore
        {
            Checkpoints = { new DetectionCheckpoint("org-quiet", T0, EnforcementStep.Warn, EnforcementStep.None, 55, 58, null) },
        };
        var (engine, _, policy, state) = BuildWithState();
        var checkpointer = Checkpointer(state, engine, policy, store, new FakeTimeProvider(T0));
        await checkpointer.RestoreAsync(CancellationToken.None);

        await HarvestAsync(engine, policy, "org-busy", 30);
        var first = await checkpointer.SaveChangedAsync(CancellationToken.None);
        var second = await checkpointer.SaveChangedAsync(CancellationToken.None);

        Assert.Equal(1, first);
        Assert.Equal(0, second);
        var saved = Assert.Single(store.Saved);
        Assert.Equal("org-busy", saved.OrgId);
        Assert.Equal(engine.Scorer.GetScore("org-busy"), saved.Score);
        Assert.Equal(T0, saved.SavedAt);
    }

    [Fact]
    public async Task SaveChangedAsync_PolicyStepTaken_CheckpointCarriesIt()
    {
        var store = new MemoryStore();
        var (engine, _, policy, state) = BuildWithState();
        var checkpointer = Checkpointer(state, engine, policy, store, new FakeTimeProvider(T0));
        await checkpointer.RestoreAsync(CancellationToken.None);

        await HarvestAsync(engine, policy, "org-gen", 200);
        await checkpointer.SaveChangedAsync(CancellationToken.None);

        var saved = Assert.Single(store.Saved);
        Assert.Equal(policy.TakenFor("org-gen"), saved.PolicySteps);
        Assert.True(saved.PolicySteps.HasFlag(EnforcementStep.Warn));
    }

    [Fact]
    public async Task RunAsync_EachInterval_WritesChangedOrganisations()
    {
        var store = new MemoryStore();
        var time = new FakeTimeProvider(T0);
        var (engine, _, policy, state) = BuildWithState();
        var checkpointer = Checkpointer(state, engine, policy, store, time, intervalSeconds: 60);
        await checkpointer.RestoreAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var running = checkpointer.RunAsync(stop.Token);

        await HarvestAsync(engine, policy, "org-a", 5);
        time.Advance(TimeSpan.FromSeconds(59));
        var beforeInterval = store.SaveCalls;
        time.Advance(TimeSpan.FromSeconds(1));
        await store.WaitForSaveAsync(1);

        Assert.Equal(0, beforeInterval);
        Assert.Equal("org-a", Assert.Single(store.Saved).OrgId);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task RestoreAsync_StoreUnreachable_NotRestoredUntilARetrySucceeds()
    {
        var store = new MemoryStore { FailLoads = 1 };
        var time = new FakeTimeProvider(T0);
        var (engine, _, policy, state) = BuildWithState();
        var checkpointer = Checkpointer(state, engine, policy, store, time);

        var restoring = checkpointer.RestoreAsync(CancellationToken.None);
        await store.WaitForLoadAttemptsAsync(1);
        Assert.False(checkpointer.IsRestored);
        Assert.Equal(0, await checkpointer.SaveChangedAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(1));
        await restoring.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(checkpointer.IsRestored);
        Assert.Equal(2, store.LoadAttempts);
    }

    [Fact]
    public void Checkpointer_WithoutStore_IsRestoredAtOnce()
    {
        var (engine, _, policy, state) = BuildWithState();
        var checkpointer = Checkpointer(state, engine, policy, store: null, TimeProvider.System);

        Assert.True(checkpointer.IsRestored);
    }

    [Fact]
    public void AddMoatDetection_CheckpointIntervalZero_FailsValidation()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moat:Detection:CheckpointIntervalSeconds"] = "0",
            ["Moat:Detection:DataDir"] = "/nonexistent",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddMoatDetection(configuration).BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DetectionCheckpointOptions>>().Value);
    }

    [Theory]
    [InlineData(EnforcementStep.None, "")]
    [InlineData(EnforcementStep.Warn, "warn")]
    [InlineData(EnforcementStep.Warn | EnforcementStep.Throttle | EnforcementStep.OpenCase | EnforcementStep.Suspend, "warn,throttle,open_case,suspend")]
    public void EnforcementStepNames_RoundTrip(EnforcementStep steps, string text)
    {
        Assert.Equal(text, EnforcementStepNames.Format(steps));
        Assert.Equal(steps, EnforcementStepNames.Parse(text));
    }

    [Fact]
    public void EnforcementStepNames_UnknownName_Ignored() =>
        Assert.Equal(EnforcementStep.Throttle, EnforcementStepNames.Parse("throttle, quarantine"));

    private static (DetectionEngine Engine, CallRecorder Actions, PolicyEngine Policy) Build(IOrgContextProvider? orgs = null, TimeProvider? time = null)
    {
        var (engine, actions, policy, _) = BuildWithState(orgs, time);
        return (engine, actions, policy);
    }

    internal static (DetectionEngine Engine, CallRecorder Actions, PolicyEngine Policy, DetectionState State) BuildWithState(IOrgContextProvider? orgs = null, TimeProvider? time = null)
    {
        orgs ??= NoOrgContextProvider.Instance;
        var options = new EnforcementOptions();
        var actions = new CallRecorder();
        var state = new DetectionState(new DetectionOptions());
        var scorer = new RiskScorer(state, orgs, options, TimeProvider.System);
        var policy = new PolicyEngine(scorer, actions, orgs, options, NullLogger<PolicyEngine>.Instance, time);
        var engine = new DetectionEngine(state, scorer, Benchmarks.BenchmarkIndex.Empty, [policy], null, NullLogger<DetectionEngine>.Instance);
        return (engine, actions, policy, state);
    }

    private static DetectionCheckpointer Checkpointer(DetectionState state, DetectionEngine engine, PolicyEngine policy, IDetectionCheckpointStore? store, TimeProvider time, int intervalSeconds = 60)
    {
        return new DetectionCheckpointer(state, engine.Scorer, store, policy,
            Options.Create(new DetectionCheckpointOptions { CheckpointIntervalSeconds = intervalSeconds }), time, NullLogger<DetectionCheckpointer>.Instance);
    }

    internal static async Task HarvestAsync(DetectionEngine engine, PolicyEngine policy, string orgId, int requests, int seed = 1, FeatureBuilder? features = null)
    {
        features ??= new FeatureBuilder(orgId);
        var random = new Random(seed);
        for (var i = 0; i < requests; i++)
        {
            foreach (var change in engine.Process(features.Build(Corpus.SelfInstruct(random))))
            {
                await policy.OnRiskChangedAsync(change, CancellationToken.None);
            }
        }
    }

    private sealed class MemoryStore : IDetectionCheckpointStore
    {
        private readonly SemaphoreSlim _saves = new(0);
        private readonly SemaphoreSlim _loads = new(0);

        public List<DetectionCheckpoint> Checkpoints { get; } = [];
        public List<RiskSnapshot> History { get; } = [];
        public List<DetectionCheckpoint> Saved { get; } = [];
        public int FailLoads { get; set; }
        public int LoadAttempts { get; private set; }
        public int SaveCalls { get; private set; }

        public Task<IReadOnlyList<DetectionCheckpoint>> LoadCheckpointsAsync(CancellationToken cancellationToken)
        {
            LoadAttempts++;
            _loads.Release();
            if (FailLoads-- > 0)
            {
                throw new InvalidOperationException("database unreachable");
            }
            return Task.FromResult<IReadOnlyList<DetectionCheckpoint>>(Checkpoints.ToList());
        }

        public Task<IReadOnlyList<RiskSnapshot>> LoadHistoryAsync(int perOrganization, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<RiskSnapshot>>(History.ToList());

        public Task SaveAsync(IReadOnlyList<DetectionCheckpoint> checkpoints, CancellationToken cancellationToken)
        {
            SaveCalls++;
            Saved.AddRange(checkpoints);
            _saves.Release();
            return Task.CompletedTask;
        }

        public async Task WaitForSaveAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                Assert.True(await _saves.WaitAsync(TimeSpan.FromSeconds(10)), "no checkpoint was written");
            }
        }

        public async Task WaitForLoadAttemptsAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                Assert.True(await _loads.WaitAsync(TimeSpan.FromSeconds(10)), "the store was never read");
            }
        }
    }
}

/// <summary>Records the policy engine's calls as "action:org".</summary>
internal sealed class CallRecorder : IEnforcementActions
{
    public List<string> Calls { get; } = [];

    public Task WarnAsync(string orgId, string reason, RiskAssessment evidence, CancellationToken cancellationToken) => Record("warn", orgId);

    public Task ThrottleAsync(string orgId, string reason, RiskAssessment evidence, CancellationToken cancellationToken) => Record("throttle", orgId);

    public Task OpenCaseAsync(string orgId, string reason, RiskAssessment evidence, CancellationToken cancellationToken) => Record("case", orgId);

    public Task SuspendAsync(string orgId, string reason, RiskAssessment evidence, CancellationToken cancellationToken) => Record("suspend", orgId);

    public Task SuppressedAsync(string orgId, EnforcementStep steps, DateTimeOffset allowListedUntil, RiskAssessment evidence, CancellationToken cancellationToken) =>
        Record("suppressed(" + EnforcementStepNames.Format(steps) + ")", orgId);

    private Task Record(string action, string orgId)
    {
        Calls.Add($"{action}:{orgId}");
        return Task.CompletedTask;
    }
}
