using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// A post-release rush, after the MiniMax-attributed campaign in Anthropic's 2026 account (agentic coding and tool
/// orchestration prompts; "within 24 hours" of a new model's release it redirected nearly half its traffic to capture the
/// new system). Before the release it harvests the current model at a steady, moderate rate; an hour or two after the
/// release it moves about half of its traffic to the new model and raises its overall rate. Two organisations with three
/// keys each, data-centre addresses, around the clock. About 4,000–5,500 requests a day.
/// </summary>
public sealed class H6ReleaseRushTenant : HeldOut6Tenant
{
    private static readonly string[] CodingAsks =
    [
        "Implement the following in {0}, with tests and a short design note: a function that {1}.",
        "Refactor this {0} module so that it {1}. Explain each change and show the final code.",
        "Design a small {0} service that {1}. Give the file layout, the code for each file and the commands to run it.",
        "Plan the steps an autonomous coding agent should take to add a feature that {1} to an existing {0} repository, then write the code.",
    ];

    private readonly List<(SimulatedOrg Org, int Key)> _accounts = [];
    private readonly List<string> _ips;
    private readonly TimeSpan _pivotDelay;

    public H6ReleaseRushTenant(string id, TenantContext context)
        : base(id, context)
    {
        var a = NewOrg(keys: 3, tokensPerMinute: 2_000_000, useCase: "software development", suffix: "-x");
        var b = NewOrg(keys: 3, tokensPerMinute: 2_000_000, useCase: "software development", suffix: "-y");
        Orgs = [a, b];
        foreach (var org in Orgs)
        {
            for (var k = 0; k < 3; k++)
            {
                _accounts.Add((org, k));
            }
        }
        _ips = FixedIps(4);
        _pivotDelay = TimeSpan.FromMinutes(45 + Random.NextDouble() * 120);
    }

    public override string Kind => "h6-release-rush";
    public override bool IsAbusive => true;

    protected override void Build(List<SimulatedRequest> requests)
    {
        var pivot = Context.ReleaseAt + _pivotDelay;
        var at = Context.Start + TimeSpan.FromMinutes(Random.NextDouble() * 30);
        var sent = new HashSet<string>(StringComparer.Ordinal);
        while (at < End)
        {
            var after = at >= pivot;
            var model = after && Chance(0.5) ? TenantContext.NewModel : TenantContext.CurrentModel;
            var (org, key) = Pick(_accounts);
            var prompt = Chance(0.6)
                ? Fill(PickFrom(CodingAsks), Pick(Phrases.CodeLanguages), Pick(Phrases.CodeTasks))
                : FreshTask(sent);
            requests.Add(Harvest(Request(org, at, Pick(_ips), "AsyncOpenAI/Python 1.58.1", null, null, prompt, model, temperature: 0.7,
                maxTokens: 4096, keyIndex: key)));
            at += PoissonGap(after ? 14 : 32);
        }
    }
}
