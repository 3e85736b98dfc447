using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants;

/// <summary>Sends a benchmark suite (GSM8K or HumanEval), verbatim or lightly templated; HumanEval items are sampled repeatedly as in pass@k.</summary>
public sealed class BenchmarkHarvesterTenant : SimulatedTenant
{
    private readonly bool _code;
    private readonly int _template;

    public BenchmarkHarvesterTenant(string id, TenantContext context, bool code) : base(id, context)
    {
        _code = code;
        _template = Random.Next(4);
        Orgs = [NewOrg(1 + Random.Next(2), tokensPerMinute: 1_000_000)];
    }

    public override string Kind => _code ? "humaneval-harvester" : "gsm8k-harvester";
    public override bool IsAbusive => true;
    public override int Budget => 500;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var userAgent = Pick(SdkUserAgents);
        var at = Context.Start + TimeSpan.FromHours(Random.NextDouble() * 12);
        var gap = 0.5 + Random.NextDouble() * 3;
        var order = Enumerable.Range(0, _code ? Data.HumanEval.Count : Data.Gsm8k.Count).OrderBy(_ => Random.Next()).ToList();
        for (var i = 0; ; i++)
        {
            var item = order[i % order.Count];
            if (_code)
            {
                var prompt = Data.HumanEval[item].Prompt;
                var text = _template switch
                {
                    0 => prompt,
                    1 => "Complete the following Python function.\n\n```python\n" + prompt + "```",
                    2 => "Implement the function below. Return only code.\n\n" + prompt,
                    _ => prompt + "    # your code here\n",
                };
                yield return Request(org, at, ip, userAgent, null, null, text, n: _template == 3 ? 5 : 1, temperature: 0.8, maxTokens: 512);
            }
            else
            {
                var question = Data.Gsm8k[item].Question;
                var text = _template switch
                {
                    0 => question,
                    1 => $"Q: {question}\nA:",
                    2 => $"Solve the following math problem. {question}",
                    _ => $"{question}\nPlease reason step by step, and put your final answer after ####.",
                };
                yield return Request(org, at, ip, userAgent, null, null, text, temperature: 0, maxTokens: 512);
            }
            at += SteadyGap(gap, 0.4);
        }
    }
}
