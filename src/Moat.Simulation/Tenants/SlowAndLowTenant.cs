using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants;

/// <summary>
/// A distiller hiding in ordinary traffic: human-like pacing, ordinary parameters, far below its quota, and only
/// one request in four to seven is a distillation request (self-instruct, paraphrased, or reasoning harvest).
/// </summary>
public sealed class SlowAndLowTenant : SimulatedTenant
{
    private readonly double _share;

    public SlowAndLowTenant(string id, TenantContext context) : base(id, context)
    {
        _share = 0.15 + Random.NextDouble() * 0.1;
        Orgs = [NewOrg(2, tokensPerMinute: 1_000_000)];
    }

    public override string Kind => "slow-and-low";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var userAgent = Pick(SdkUserAgents);
        var wrapper = Phrases.ReasoningWrappers[Random.Next(Phrases.ReasoningWrappers.Length)];
        var at = Context.Start + TimeSpan.FromHours(Random.NextDouble() * 6);
        while (true)
        {
            string prompt;
            if (Random.NextDouble() < _share)
            {
                var seeds = Enumerable.Range(0, 3).Select(_ => Pick(Data.SeedTasks)).ToList();
                var item = Pick(Data.AlpacaInstructions);
                prompt = Random.Next(3) switch
                {
                    0 => SelfInstructPrompts.Alpaca(Data.SelfInstructPrompt, seeds, Random.NextDouble() < 0.5),
                    1 => SelfInstructPrompts.Paraphrased(Random, seeds),
                    _ => string.Format(System.Globalization.CultureInfo.InvariantCulture, wrapper, item.Instruction),
                };
            }
            else
            {
                prompt = Pick(Data.BenignInstructions).Text;
            }
            yield return Request(org, at, ip, userAgent, null, null, prompt, temperature: 0.7);
            at += HumanGap(25);
        }
    }
}
