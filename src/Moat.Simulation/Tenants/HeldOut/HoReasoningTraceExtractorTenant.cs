using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>
/// A reasoning-trace extraction campaign (as GTIG described): at volume, asks the model to expose its full reasoning or thought
/// process, often constraining the language or output format of the reasoning, over maths, puzzles and ordinary tasks.
/// </summary>
public sealed class HoReasoningTraceExtractorTenant : HeldOutTenant
{
    public HoReasoningTraceExtractorTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(1 + Random.Next(3), tokensPerMinute: 2_000_000)];
    }

    public override string Kind => "ho-reasoning-trace-extractor";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var prefix = RandomPrefix();
        var agent = ClientAgent();
        var mean = 1 + Random.NextDouble() * 10;
        var n = Random.NextDouble() < 0.3 ? 2 : 1;
        var at = StartWithin(8);
        while (at < End)
        {
            yield return Request(org, at, IpInRange(prefix), agent, null, null, Text.ReasoningTrace(Text.ReasoningTask()),
                n: n, temperature: Pick(new[] { 0.6, 0.8, 1.0 }), maxTokens: Pick(new[] { 4096, 8192, 16384 }));
            at += Random.NextDouble() < 0.5 ? PoissonGap(mean) : SteadyGap(mean, 0.3);
        }
    }
}
