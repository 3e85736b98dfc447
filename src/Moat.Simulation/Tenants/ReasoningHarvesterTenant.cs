using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants;

/// <summary>Harvests chain-of-thought traces: Alpaca-style instructions wrapped in reasoning-elicitation prompts, several samples each.</summary>
public sealed class ReasoningHarvesterTenant : SimulatedTenant
{
    private readonly double _gapSeconds;

    public ReasoningHarvesterTenant(string id, TenantContext context) : base(id, context)
    {
        _gapSeconds = 1.5 + Random.NextDouble() * 4;
        Orgs = [NewOrg(1 + Random.Next(4), tokensPerMinute: Random.NextDouble() < 0.5 ? 300_000 : 2_000_000)];
    }

    public override string Kind => "cot-harvester";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var userAgent = Pick(SdkUserAgents);
        var wrapper = Random.Next(Phrases.ReasoningWrappers.Length + Phrases.ReasoningSystemPrompts.Length);
        var n = 1 + Random.Next(4);
        var logprobs = Random.NextDouble() < 0.3;
        var at = Context.Start + TimeSpan.FromHours(Random.NextDouble() * 12);
        while (true)
        {
            var item = Pick(Data.AlpacaInstructions);
            var task = item.Input.Length == 0 ? item.Instruction : item.Instruction + "\n\n" + item.Input;
            string? system = null;
            string user;
            if (wrapper < Phrases.ReasoningWrappers.Length)
            {
                user = string.Format(System.Globalization.CultureInfo.InvariantCulture, Phrases.ReasoningWrappers[wrapper], task);
            }
            else
            {
                system = Phrases.ReasoningSystemPrompts[wrapper - Phrases.ReasoningWrappers.Length];
                user = task;
            }
            yield return Request(org, at, ip, userAgent, system, null, user, n: n, temperature: 0.7 + 0.3 * Random.NextDouble(),
                maxTokens: 4096, logprobs: logprobs);
            at += SteadyGap(_gapSeconds, 0.3);
        }
    }
}
