using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>
/// Moderate, ordinary-looking use of the current model until the new model ships, then an immediate surge onto the new model
/// that harvests it (cue-free long answers and reasoning traces) — the shift within hours of a release that public reports describe.
/// </summary>
public sealed class HoReleaseChaserTenant : HeldOutTenant
{
    public HoReleaseChaserTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(2 + Random.Next(3), tokensPerMinute: 2_000_000)];
    }

    public override string Kind => "ho-release-chaser";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var agent = ClientAgent();
        var at = Context.Start;
        foreach (var request in OrdinaryUse(org, Context.Start, Context.ReleaseAt, 60 + Random.Next(240), ip, agent, model: TenantContext.CurrentModel))
        {
            yield return request;
            at = request.Timestamp;
        }
        var surge = Context.ReleaseAt + TimeSpan.FromMinutes(Random.Next(2, 45));
        at = surge > at ? surge : at;
        var reasoning = Random.NextDouble();
        var gap = 0.5 + Random.NextDouble() * 3;
        while (at < End)
        {
            var prompt = Random.NextDouble() < reasoning ? Text.ReasoningTrace(Text.ReasoningTask()) : Text.CueFreeInstruction();
            yield return Request(org, at, ip, agent, null, null, prompt, model: TenantContext.NewModel, temperature: 0.8, maxTokens: 4096);
            at += PoissonGap(gap);
        }
    }
}
