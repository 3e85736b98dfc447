using Microsoft.Extensions.Time.Testing;
using Moat.Core.Access;
using Moat.Detection.Enforcement;

namespace Moat.Detection.Tests;

/// <summary>A reviewer's false-positive verdict: while the org is allow-listed, crossings are suppressed (and recorded once), not acted on.</summary>
public sealed class AllowListPolicyTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AllowListed_CrossesEveryThreshold_NoActionAndOneSuppressionRecordPerStep()
    {
        var time = new FakeTimeProvider(Now);
        var orgs = new AllowListedOrgs { Until = Now.AddDays(30) };
        var (engine, actions, policy, _) = CheckpointTests.BuildWithState(orgs, time);

        await CheckpointTests.HarvestAsync(engine, policy, "org-gen", 200);

        Assert.DoesNotContain(actions.Calls, c => c.StartsWith("warn", StringComparison.Ordinal) || c.StartsWith("throttle", StringComparison.Ordinal) || c.StartsWith("case", StringComparison.Ordinal));
        var suppressed = actions.Calls.Where(c => c.StartsWith("suppressed", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(suppressed);
        // Every step is held back exactly once in the crossing, however many score changes follow.
        Assert.Equal(1, suppressed.Count(c => c.Contains("warn", StringComparison.Ordinal)));
        Assert.Equal(1, suppressed.Count(c => c.Contains("open_case", StringComparison.Ordinal)));
        Assert.Equal(EnforcementStep.None, policy.TakenFor("org-gen"));
        Assert.True(policy.StepsOf("org-gen").Suppressed.HasFlag(EnforcementStep.OpenCase));
        Assert.True(engine.Scorer.GetScore("org-gen") >= 80);
    }

    [Fact]
    public async Task AllowListExpired_ScoreStillHigh_EnforcementResumes()
    {
        var time = new FakeTimeProvider(Now);
        var orgs = new AllowListedOrgs { Until = Now.AddDays(1) };
        var (engine, actions, policy, _) = CheckpointTests.BuildWithState(orgs, time);
        var features = new FeatureBuilder("org-gen");
        await CheckpointTests.HarvestAsync(engine, policy, "org-gen", 900, features: features);
        await policy.ResumeExpiredAsync(CancellationToken.None);
        Assert.DoesNotContain("warn:org-gen", actions.Calls);

        time.Advance(TimeSpan.FromDays(1));
        // The score stays where it is (no change reported): the periodic resume acts on it.
        await policy.ResumeExpiredAsync(CancellationToken.None);

        Assert.Contains("warn:org-gen", actions.Calls);
        Assert.Contains("case:org-gen", actions.Calls);
        Assert.Equal(EnforcementStep.None, policy.StepsOf("org-gen").Suppressed);
    }

    [Fact]
    public async Task NotAllowListed_SameTraffic_Enforced()
    {
        var (engine, actions, policy, _) = CheckpointTests.BuildWithState(new AllowListedOrgs { Until = null }, new FakeTimeProvider(Now));

        await CheckpointTests.HarvestAsync(engine, policy, "org-gen", 200);

        Assert.Contains("warn:org-gen", actions.Calls);
        Assert.DoesNotContain(actions.Calls, c => c.StartsWith("suppressed", StringComparison.Ordinal));
    }

    private sealed class AllowListedOrgs : IOrgContextProvider
    {
        public DateTimeOffset? Until { get; init; }

        public OrgContext? Get(string orgId) => new(orgId, OrgState.Active, null, false, Until);
    }
}
