using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moat.Core.Access;
using Moat.Core.Signals;
using Moat.Detection.Enforcement;
using Moat.Detection.Scoring;

namespace Moat.Detection.Tests;

public sealed class PolicyTests
{
    [Fact]
    public async Task Crossing_FiresEachActionOnce_NotOnEveryRequest()
    {
        var (engine, actions, policy) = Build(new EnforcementOptions());
        var features = new FeatureBuilder("org-gen");
        var random = new Random(1);
        for (var i = 0; i < 1200; i++)
        {
            await ProcessAsync(engine, policy, features.Build(Corpus.SelfInstruct(random) + $" #{i}"));
        }
        // A case opens (a human looks) before the throttle binds; each fires once.
        Assert.Equal(["warn:org-gen", "case:org-gen", "throttle:org-gen"], actions.Calls);
        Assert.All(actions.Evidence, e => Assert.True(e.Score >= 50 && e.Signals.Count > 0));
        // Every automatic action cites the signals and the requests that drove it.
        Assert.All(actions.Reasons, r => Assert.Matches(@"top signals: extraction_volume \(\+\d+\).*Requests, e\.g\.: org-gen-\d+", r));
    }

    [Fact]
    public async Task AutoSuspend_OffByDefault_OnWhenConfigured()
    {
        var (engine, actions, policy) = Build(new EnforcementOptions { AutoSuspend = true, SuspendAt = 88 });
        var features = new FeatureBuilder("org-gen");
        var random = new Random(1);
        for (var i = 0; i < 1500; i++)
        {
            await ProcessAsync(engine, policy, features.Build(Corpus.SelfInstruct(random) + $" #{i}"));
        }
        Assert.Contains("suspend:org-gen", actions.Calls);
    }

    [Fact]
    public void Policy_Rearms_OnlyAfterFallingBelowMargin()
    {
        var policy = new EnforcementPolicy(new EnforcementOptions());
        var (fire, _) = policy.Evaluate("o", 55, EnforcementStep.None);
        Assert.Equal(EnforcementStep.Warn, fire);
        Assert.Equal((EnforcementStep.None, EnforcementStep.None), policy.Evaluate("o", 45, EnforcementStep.Warn));
        Assert.Equal((EnforcementStep.None, EnforcementStep.Warn), policy.Evaluate("o", 39, EnforcementStep.Warn));
        Assert.Equal(EnforcementStep.Warn | EnforcementStep.Throttle | EnforcementStep.OpenCase, policy.Evaluate("o", 85, EnforcementStep.None).Fire);
    }

    [Fact]
    public void Overrides_DisableOrOffsetThresholds()
    {
        var options = new EnforcementOptions
        {
            Overrides =
            {
                ["quiet"] = new OrgEnforcementOverride { Disabled = true },
                ["lenient"] = new OrgEnforcementOverride { ThresholdOffset = 15 },
            },
        };
        var policy = new EnforcementPolicy(options);
        Assert.Equal(EnforcementStep.None, policy.Evaluate("quiet", 99, EnforcementStep.None).Fire);
        Assert.Equal(EnforcementStep.None, policy.Evaluate("lenient", 60, EnforcementStep.None).Fire);
        Assert.Equal(EnforcementStep.Warn, policy.Evaluate("lenient", 66, EnforcementStep.None).Fire);
    }

    [Fact]
    public async Task SuspendedOrg_GetsNoFurtherAutomaticActions()
    {
        var orgs = new StateOrgs { State = OrgState.Suspended };
        var (engine, actions, policy) = Build(new EnforcementOptions(), orgs);
        var features = new FeatureBuilder("org-gen");
        var random = new Random(1);
        for (var i = 0; i < 100; i++)
        {
            await ProcessAsync(engine, policy, features.Build(Corpus.SelfInstruct(random)));
        }
        Assert.Empty(actions.Calls);
    }

    [Fact]
    public void AddMoatDetection_InvalidThresholds_FailValidation()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moat:Enforcement:WarnAt"] = "90",
            ["Moat:Enforcement:CaseAt"] = "80",
            ["Moat:Detection:DataDir"] = "/nonexistent",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddMoatDetection(configuration).BuildServiceProvider();
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<EnforcementOptions>>().Value);
    }

    [Fact]
    public void AddMoatDetection_RegistersSinkScorerAndPolicy()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moat:Detection:DataDir"] = "/nonexistent",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IEnforcementActions>(new RecordingActions()).AddMoatDetection(configuration).BuildServiceProvider();
        var sink = services.GetRequiredService<IRequestFeatureSink>();
        Assert.Same(services.GetRequiredService<DetectionEngine>(), sink);
        Assert.NotNull(services.GetRequiredService<RiskScorer>());
        Assert.NotNull(services.GetRequiredService<PolicyEngine>());
    }

    private static (DetectionEngine Engine, RecordingActions Actions, PolicyEngine Policy) Build(EnforcementOptions options, IOrgContextProvider? orgs = null)
    {
        orgs ??= NoOrgContextProvider.Instance;
        var actions = new RecordingActions();
        var state = new DetectionState(new DetectionOptions());
        var scorer = new RiskScorer(state, orgs, options, TimeProvider.System);
        var policy = new PolicyEngine(scorer, actions, orgs, options, NullLogger<PolicyEngine>.Instance);
        var engine = new DetectionEngine(state, scorer, Benchmarks.BenchmarkIndex.Empty, [policy], null, NullLogger<DetectionEngine>.Instance);
        return (engine, actions, policy);
    }

    /// <summary>What the background loop does per request: process, then tell the policy engine.</summary>
    private static async Task ProcessAsync(DetectionEngine engine, PolicyEngine policy, RequestFeatures features)
    {
        foreach (var change in engine.Process(features))
        {
            await policy.OnRiskChangedAsync(change, CancellationToken.None);
        }
    }

    private sealed class StateOrgs : IOrgContextProvider
    {
        public OrgState State { get; init; }

        public OrgContext? Get(string orgId) => new(orgId, State, null, false);
    }

    private sealed class RecordingActions : IEnforcementActions
    {
        public List<string> Calls { get; } = [];
        public List<RiskAssessment> Evidence { get; } = [];
        public List<string> Reasons { get; } = [];

        public Task WarnAsync(string orgId, string reason, RiskAssessment evidence, CancellationToken cancellationToken) => Record("warn", orgId, reason, evidence);

        public Task ThrottleAsync(string orgId, string reason, RiskAssessment evidence, CancellationToken cancellationToken) => Record("throttle", orgId, reason, evidence);

        public Task OpenCaseAsync(string orgId, string reason, RiskAssessment evidence, CancellationToken cancellationToken) => Record("case", orgId, reason, evidence);

        public Task SuspendAsync(string orgId, string reason, RiskAssessment evidence, CancellationToken cancellationToken) => Record("suspend", orgId, reason, evidence);

        private Task Record(string action, string orgId, string reason, RiskAssessment evidence)
        {
            Calls.Add($"{action}:{orgId}");
            Reasons.Add(reason);
            Evidence.Add(evidence);
            return Task.CompletedTask;
        }
    }
}
