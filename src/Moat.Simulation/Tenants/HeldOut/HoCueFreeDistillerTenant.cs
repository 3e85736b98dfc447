using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>
/// A distiller with no elicitation cues: thousands of diverse, ordinary-looking single-turn instructions asking for thorough
/// answers through a high max_tokens, sustained by a small worker pool.
/// </summary>
public sealed class HoCueFreeDistillerTenant : HeldOutTenant
{
    public HoCueFreeDistillerTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(1 + Random.Next(4), tokensPerMinute: 2_000_000)];
    }

    public override string Kind => "ho-cue-free-distiller";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var agent = ClientAgent();
        var system = Random.NextDouble() < 0.4 ? Pick(new[] { "You are a knowledgeable assistant. Give complete, well-structured answers.", "You are a helpful assistant." }) : null;
        var maxTokens = Pick(new[] { 2048, 4096, 8192 });
        var temperature = Pick(new[] { 0.7, 0.8, 1.0 });
        var mean = 2 + Random.NextDouble() * 12;
        var at = StartWithin(6);
        while (at < End)
        {
            yield return Request(org, at, ip, agent, system, null, Text.CueFreeInstruction(), temperature: temperature, maxTokens: maxTokens);
            at += PoissonGap(mean);
        }
    }
}
