using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants;

/// <summary>
/// A legitimate evaluation team. Allow-listed: an org approved for the <c>evaluation</c> use case that runs a benchmark
/// suite once. Small: not allow-listed (no evaluation use case declared), spot-checks 20–60 public benchmark items once
/// with a fixed template at temperature 0, then uses the model normally.
/// </summary>
public sealed class EvalTeamTenant : SimulatedTenant
{
    private readonly bool _allowListed;

    public EvalTeamTenant(string id, TenantContext context, bool allowListed) : base(id, context)
    {
        _allowListed = allowListed;
        Orgs = [NewOrg(1, tokensPerMinute: 1_000_000, useCase: allowListed ? "evaluation" : "internal-tools", allowBenchmarks: allowListed)];
    }

    public override string Kind => _allowListed ? "eval-team-allow-listed" : "eval-team-small";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var at = Context.Start + TimeSpan.FromHours(Random.NextDouble() * 16);
        var items = _allowListed ? 150 + Random.Next(250) : 20 + Random.Next(41);
        var cot = Random.NextDouble() < 0.5;
        var useCode = Random.NextDouble() < 0.3;
        for (var i = 0; i < items && at < End; i++)
        {
            var prompt = useCode && i % 2 == 0 && Data.HumanEval.Count > 0
                ? Pick(Data.HumanEval).Prompt
                : (cot ? $"Question: {Pick(Data.Gsm8k).Question}\nAnswer: Let's think step by step." : Pick(Data.Gsm8k).Question);
            yield return Request(org, at, ip, "lm-eval-harness/0.4.3", null, null, prompt, temperature: 0, maxTokens: 512);
            at += _allowListed ? SteadyGap(1.5, 0.3) : SteadyGap(2, 0.3);
        }
        // Ordinary use around the spot check.
        var ordinary = _allowListed ? 0 : 30 + Random.Next(300);
        for (var i = 0; i < ordinary && at < End; i++)
        {
            yield return Request(org, at, ip, "OpenAI/Python 1.52.2", null, null, Pick(Data.BenignInstructions).Text, temperature: 0.7);
            at += HumanGap(90);
        }
    }
}
