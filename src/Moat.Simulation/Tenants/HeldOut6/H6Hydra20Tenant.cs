using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// A hydra cluster as described in Anthropic's 2026 account (and the proxy resellers behind it): twenty keys spread over five
/// organisations opened with different identities, fed from one shared work queue (drawn without replacement, so prompts
/// rarely repeat across the cluster) by whichever key is free. Each key paces itself like a light user (a request every few minutes, sleeping an hour or two now
/// and then), well below a single busy customer; traffic comes through a residential proxy pool with sticky sessions that
/// rotate every half hour or so, and each key presents its own client string. It runs around the clock. About 4,000–5,000
/// requests a day across the cluster (about 200–250 a key).
/// </summary>
public sealed class H6Hydra20Tenant : HeldOut6Tenant
{
    private readonly List<(SimulatedOrg Org, int Key)> _workers = [];
    private readonly string[] _agents;

    public H6Hydra20Tenant(string id, TenantContext context)
        : base(id, context)
    {
        var orgs = new List<SimulatedOrg>();
        foreach (var suffix in new[] { "-a", "-b", "-c", "-d", "-e" })
        {
            var org = NewOrg(keys: 4, tokensPerMinute: 200_000, useCase: PickFrom("personal productivity", "research", "startup prototype", null), suffix: suffix);
            orgs.Add(org);
            for (var k = 0; k < 4; k++)
            {
                _workers.Add((org, k));
            }
        }
        Orgs = orgs;
        _agents = _workers.Select(_ => PickFrom([.. SdkUserAgents, .. BackendAgents])).ToArray();
    }

    public override string Kind => "h6-hydra-20";
    public override bool IsAbusive => true;

    protected override void Build(List<SimulatedRequest> requests)
    {
        // Each worker's free slots over the day, then the queue hands out items in the order the slots come up.
        var slots = new List<(DateTimeOffset At, int Worker, string Ip)>();
        for (var w = 0; w < _workers.Count; w++)
        {
            var at = Context.Start + TimeSpan.FromSeconds(Random.NextDouble() * 600);
            var ip = RandomPublicIp();
            var ipUntil = at + TimeSpan.FromMinutes(15 + Random.NextDouble() * 30);
            while (at < End)
            {
                if (at > ipUntil)
                {
                    ip = RandomPublicIp();
                    ipUntil = at + TimeSpan.FromMinutes(15 + Random.NextDouble() * 30);
                }
                slots.Add((at, w, ip));
                at += HumanGap(200);
                if (Chance(0.02))
                {
                    at += TimeSpan.FromMinutes(40 + Random.NextDouble() * 100);
                }
            }
        }
        var sent = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (at, w, ip) in slots.OrderBy(s => s.At))
        {
            var (org, key) = _workers[w];
            var system = Chance(0.5) ? null : "You are a helpful assistant.";
            requests.Add(Harvest(Request(org, at, ip, _agents[w], system, null, FreshTask(sent), temperature: PickFrom(0.7, 0.8, 1.0),
                maxTokens: 4096, keyIndex: key)));
        }
    }
}
