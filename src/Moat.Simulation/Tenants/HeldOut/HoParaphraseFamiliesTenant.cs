using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>Self-instruct-style task generation through invented, reworded meta-prompt families; no two consecutive prompts share their wording.</summary>
public sealed class HoParaphraseFamiliesTenant : HeldOutTenant
{
    public HoParaphraseFamiliesTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(1 + Random.Next(3), tokensPerMinute: 1_000_000)];
    }

    public override string Kind => "ho-paraphrase-families";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var agent = ClientAgent();
        var mean = 3 + Random.NextDouble() * 15;
        var at = StartWithin(6);
        var previous = "";
        while (at < End)
        {
            var prompt = Text.TaskGeneration();
            if (prompt == previous)
            {
                continue;
            }
            previous = prompt;
            yield return Request(org, at, ip, agent, null, null, prompt, temperature: Pick(new[] { 0.9, 1.0, 1.1 }), maxTokens: 3072);
            at += PoissonGap(mean);
        }
    }
}
