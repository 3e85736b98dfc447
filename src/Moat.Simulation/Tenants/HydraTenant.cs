using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants;

/// <summary>
/// One harvesting operation spread over 20 keys in 5 organisations to stay under per-org caps: a central scheduler
/// round-robins the keys, all share one reasoning template, two IP ranges and a common SDK user agent.
/// </summary>
public sealed class HydraTenant : SimulatedTenant
{
    public HydraTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = Enumerable.Range(0, 5).Select(i => NewOrg(4, tokensPerMinute: 100_000, suffix: $"-{i}")).ToList();
    }

    public override string Kind => "hydra";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        string[] ranges = [$"{Random.Next(11, 223)}.{Random.Next(256)}.{Random.Next(256)}.", $"{Random.Next(11, 223)}.{Random.Next(256)}.{Random.Next(256)}."];
        var wrapper = Phrases.ReasoningWrappers[Random.Next(Phrases.ReasoningWrappers.Length)];
        var mixSelfInstruct = Random.NextDouble() < 0.5;
        var at = Context.Start + TimeSpan.FromHours(Random.NextDouble() * 12);
        for (var i = 0; ; i++)
        {
            var org = Orgs[i % Orgs.Count];
            var key = i / Orgs.Count % 4;
            string prompt;
            if (mixSelfInstruct && i % 3 == 0)
            {
                prompt = SelfInstructPrompts.Alpaca(Data.SelfInstructPrompt, Enumerable.Range(0, 3).Select(_ => Pick(Data.SeedTasks)).ToList(), false);
            }
            else
            {
                var item = Pick(Data.AlpacaInstructions);
                prompt = string.Format(System.Globalization.CultureInfo.InvariantCulture, wrapper,
                    item.Input.Length == 0 ? item.Instruction : item.Instruction + "\n\n" + item.Input);
            }
            var ip = ranges[i % Orgs.Count < 3 ? 0 : 1] + Random.Next(2, 254);
            yield return Request(org, at, ip, "OpenAI/Python 1.40.0", null, null, prompt, n: 2, temperature: 0.9, maxTokens: 2048, keyIndex: key);
            at += SteadyGap(1.2, 0.3);
        }
    }
}
