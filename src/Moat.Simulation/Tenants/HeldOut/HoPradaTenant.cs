using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>
/// PRADA-style model extraction by query synthesis: a set of seed queries, then many systematic programmatic perturbations of
/// each (synonyms, dropped/swapped words, changed numbers, typos, prefixes) at growing strength to map the model's behaviour.
/// </summary>
public sealed class HoPradaTenant : HeldOutTenant
{
    public HoPradaTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(1 + Random.Next(2), tokensPerMinute: 1_000_000)];
    }

    public override string Kind => "ho-prada";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var agent = ClientAgent();
        var seeds = Enumerable.Range(0, 20 + Random.Next(41))
            .Select(_ => Random.NextDouble() < 0.7 ? Text.CueFreeInstruction() : Text.Item(Pick(new[] { "mmlu", "trivia", "gsm8k" })).Text).ToList();
        var variantsPerSeed = 10 + Random.Next(31);
        var gap = 0.5 + Random.NextDouble() * 5;
        var temperature = Pick(new[] { 0.0, 0.7 });
        var at = StartWithin(8);
        for (var round = 0; at < End; round++)
        {
            foreach (var seed in seeds)
            {
                yield return Request(org, at, ip, agent, null, null, seed, temperature: temperature, maxTokens: 1024);
                at += SteadyGap(gap, 0.3);
                for (var v = 1; v <= variantsPerSeed && at < End; v++)
                {
                    yield return Request(org, at, ip, agent, null, null, Text.Perturb(seed, 1 + (v + round) / 8), temperature: temperature, maxTokens: 1024);
                    at += SteadyGap(gap, 0.3);
                }
            }
        }
    }
}
