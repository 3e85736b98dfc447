using Moat.Simulation;
using Moat.Simulation.Tenants;
using Moat.Simulation.Tenants.HeldOut6;
using Moat.Simulation.Transport;

namespace Moat.Detection.Tests;

/// <summary>
/// Generation-only checks of the sixth held-out population (no runner, no scoring): every kind produces requests in time
/// order inside the day, from its own orgs and keys; abusive kinds produce enough to be measured; the blends keep to their
/// stated abusive share by their own bookkeeping.
/// </summary>
public sealed class HeldOut6PopulationTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 3, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<Dictionary<SimulatedTenant, List<SimulatedRequest>>> Generated = new(() =>
    {
        var data = SimulationData.Load(SimulationData.Locate()!, DataSplit.HeldOut);
        var tenants = SimulationScenario.Resolve("held-out-6-quick").CreateTenants(data, Start);
        return tenants.ToDictionary(t => t, t => t.Generate().ToList());
    });

    public static TheoryData<string> Kinds()
    {
        var data = new TheoryData<string>();
        foreach (var kind in SimulationScenario.HeldOut6Population.Benign.Concat(SimulationScenario.HeldOut6Population.Abusive))
        {
            data.Add(kind);
        }
        return data;
    }

    [Fact]
    public void Population_is_registered_and_split_about_evenly()
    {
        var population = SimulationScenario.HeldOut6Population;
        Assert.Contains(population, SimulationScenario.HeldOutPopulations);
        Assert.True(population.Benign.Count >= 11 && population.Abusive.Count >= 11);
        Assert.All(population.Benign.Concat(population.Abusive), k => Assert.Contains(k, SimulationScenario.Kinds));
        Assert.Subset(population.Abusive.ToHashSet(), population.Harvesters.Concat(population.Direct).Concat(population.Evasion).ToHashSet());
        var full = SimulationScenario.Resolve("held-out-6");
        Assert.Equal(200, full.Tenants["h6-consumer-chat"]);
        Assert.Equal(30, full.Tenants["h6-math-tutor"]);
        Assert.Equal(20, full.Tenants["h6-hydra-20"]);
        Assert.Equal(24, full.DurationHours);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Kind_generates_ordered_requests_inside_the_day_from_its_own_keys(string kind)
    {
        var tenants = Generated.Value.Where(p => p.Key.Kind == kind).ToList();
        Assert.NotEmpty(tenants);
        var abusive = SimulationScenario.HeldOut6Population.Abusive.Contains(kind);
        foreach (var (tenant, requests) in tenants)
        {
            Assert.Equal(abusive, tenant.IsAbusive);
            Assert.NotEmpty(requests);
            var keys = tenant.Orgs.SelectMany(o => o.KeyIds.Select(k => (o.OrgId, k))).ToHashSet();
            var previous = DateTimeOffset.MinValue;
            foreach (var request in requests)
            {
                Assert.True(request.Timestamp >= previous, $"{tenant.Id}: out of order at {request.Timestamp:O}");
                Assert.True(request.Timestamp >= Start && request.Timestamp < Start.AddHours(24), $"{tenant.Id}: outside the day at {request.Timestamp:O}");
                Assert.Contains((request.OrgId, request.KeyId), keys);
                Assert.Equal(tenant.Id, request.TenantId);
                Assert.Equal("user", request.Body.Messages[^1].Role);
                previous = request.Timestamp;
            }
            if (tenant.IsAbusive)
            {
                Assert.True(requests.Count >= 250, $"{tenant.Id}: only {requests.Count} requests in the day");
                Assert.Equal(kind == "h6-benchmark-harvester" ? 500 : 2000, tenant.Budget);
            }
        }
    }

    [Theory]
    [InlineData("h6-blend-10", 10)]
    [InlineData("h6-blend-20", 20)]
    [InlineData("h6-blend-30", 30)]
    public void Blends_keep_their_abusive_share(string kind, int percent)
    {
        foreach (var (tenant, requests) in Generated.Value.Where(p => p.Key.Kind == kind))
        {
            var h6 = Assert.IsAssignableFrom<HeldOut6Tenant>(tenant);
            Assert.Equal(percent, h6.IntendedHarvestPercent);
            var share = 100.0 * requests.Count(h6.IsHarvest) / requests.Count;
            Assert.InRange(share, percent - 4, percent + 4);
            // The harvest rides on the product's own keys, addresses and client.
            var harvestKeys = requests.Where(h6.IsHarvest).Select(r => r.KeyId).ToHashSet();
            var productKeys = requests.Where(r => !h6.IsHarvest(r)).Select(r => r.KeyId).ToHashSet();
            Assert.Subset(productKeys, harvestKeys);
            Assert.Subset(requests.Where(r => !h6.IsHarvest(r)).Select(r => r.ClientIp).ToHashSet(), requests.Where(h6.IsHarvest).Select(r => r.ClientIp).ToHashSet());
            Assert.True(requests.Count(h6.IsHarvest) >= 200, $"{tenant.Id}: only {requests.Count(h6.IsHarvest)} harvest requests");
        }
    }

    [Fact]
    public void Pure_harvesters_mark_every_request_and_benign_kinds_none()
    {
        foreach (var (tenant, requests) in Generated.Value)
        {
            var h6 = Assert.IsAssignableFrom<HeldOut6Tenant>(tenant);
            var harvested = requests.Count(h6.IsHarvest);
            if (!tenant.IsAbusive)
            {
                Assert.Equal(0, harvested);
            }
            else if (h6.IntendedHarvestPercent == 100)
            {
                Assert.Equal(requests.Count, harvested);
            }
        }
    }

    [Fact]
    public void Hydra_spreads_over_twenty_keys_each_below_a_normal_customer()
    {
        var consumerDaily = Generated.Value.Where(p => p.Key.Kind == "h6-consumer-chat").Select(p => p.Value.Count).Min();
        foreach (var (tenant, requests) in Generated.Value.Where(p => p.Key.Kind == "h6-hydra-20"))
        {
            Assert.Equal(5, tenant.Orgs.Count);
            var perKey = requests.GroupBy(r => r.KeyId).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(20, perKey.Count);
            Assert.True(perKey.Values.Max() < consumerDaily, $"{tenant.Id}: a key sent {perKey.Values.Max()}, a consumer app {consumerDaily}");
        }
    }

    [Fact]
    public void Release_rush_moves_traffic_to_the_new_model_after_release()
    {
        var release = Start.AddHours(SimulationScenario.Resolve("held-out-6-quick").ReleaseAfterHours);
        foreach (var (_, requests) in Generated.Value.Where(p => p.Key.Kind == "h6-release-rush"))
        {
            Assert.DoesNotContain(requests, r => r.Timestamp < release && r.Body.Model == TenantContext.NewModel);
            var after = requests.Where(r => r.Timestamp >= release.AddHours(4)).ToList();
            var share = (double)after.Count(r => r.Body.Model == TenantContext.NewModel) / after.Count;
            Assert.InRange(share, 0.35, 0.65);
        }
    }
}
