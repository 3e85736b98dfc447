using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants;

/// <summary>
/// A distiller whose prompts carry no cue: ordinary instructions from an instruction pool, one per request, no
/// conversation, a large max_tokens for a thorough answer, paced like a patient script. Only the volume gives it away.
/// </summary>
public sealed class PlainDistillerTenant : SimulatedTenant
{
    private readonly double _gapSeconds;

    public PlainDistillerTenant(string id, TenantContext context) : base(id, context)
    {
        _gapSeconds = 5 + Random.NextDouble() * 25;
        Orgs = [NewOrg(1 + Random.Next(2), tokensPerMinute: 1_000_000)];
    }

    public override string Kind => "plain-distiller";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var userAgent = Pick(SdkUserAgents);
        var at = Context.Start + TimeSpan.FromHours(Random.NextDouble() * 4);
        var maxTokens = Random.NextDouble() < 0.5 ? 2048 : (int?)null;
        while (true)
        {
            var item = Pick(Data.AlpacaInstructions);
            var prompt = string.IsNullOrEmpty(item.Input) ? item.Instruction : item.Instruction + "\n\n" + item.Input;
            if (Random.NextDouble() < 0.5)
            {
                prompt = Pick(Data.BenignInstructions).Text;
            }
            yield return Request(org, at, ip, userAgent, null, null, prompt, temperature: 0.7, maxTokens: maxTokens);
            at += PoissonGap(_gapSeconds);
        }
    }
}
