using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// A pure benchmark harvester: it walks a grade-school maths suite and a code-completion suite (GSM8K / HumanEval style
/// items) with the public simple-evals style templates and draws several samples per item at temperature 0.8 (either n = 4
/// in one call or four separate calls), which is how rejection-sampling and best-of-n training sets are built from a
/// stronger model's answers. An async client with a handful of workers, started once in the attacker's working day. One
/// organisation, one key, one data-centre address. Budget 500 requests; about 1,000–2,000 a day when not stopped.
/// </summary>
public sealed class H6BenchmarkHarvesterTenant : HeldOut6Tenant
{
    private const string MathTemplate =
        "Solve the following math problem step by step. The last line of your response should be of the form Answer: $ANSWER (without quotes) " +
        "where $ANSWER is the answer to the problem.\n\n{0}\n\nRemember to put your answer on its own line after \"Answer:\", and you do not need to use a \\boxed command.";
    private const string CodeTemplate = "Complete the following Python function. Return the full function in a single ```python code block.\n\n```python\n{0}```";

    private readonly SimulatedOrg _org;
    private readonly string _ip;
    private readonly bool _useN;

    public H6BenchmarkHarvesterTenant(string id, TenantContext context)
        : base(id, context)
    {
        _org = NewOrg(keys: 1, tokensPerMinute: 2_000_000, useCase: PickFrom("model evaluation", "research", null));
        Orgs = [_org];
        _ip = FixedIps(1)[0];
        _useN = Chance(0.5);
    }

    public override string Kind => "h6-benchmark-harvester";
    public override bool IsAbusive => true;
    public override int Budget => 500;

    protected override void Build(List<SimulatedRequest> requests)
    {
        var items = Data.Gsm8k.OrderBy(_ => Random.Next()).Take(Random.Next(250, 450)).Select(g => MathTemplate.Replace("{0}", g.Question, StringComparison.Ordinal))
            .Concat(Data.HumanEval.Select(h => CodeTemplate.Replace("{0}", h.Prompt, StringComparison.Ordinal)))
            .OrderBy(_ => Random.Next()).ToList();
        var start = RandomTimeWithin(Context.Start, Context.Start + TimeSpan.FromHours(14));
        const int workers = 6;
        var lanes = Enumerable.Range(0, workers).Select(_ => start + TimeSpan.FromSeconds(Random.NextDouble() * 3)).ToArray();
        var agent = PickFrom("AsyncOpenAI/Python 1.54.4", "AsyncOpenAI/Python 1.58.1");
        for (var i = 0; i < items.Count; i++)
        {
            var lane = i % workers;
            if (_useN)
            {
                requests.Add(Harvest(Request(_org, lanes[lane], _ip, agent, null, null, items[i], n: 4, temperature: 0.8, maxTokens: 2048, keyIndex: 0)));
                lanes[lane] += TimeSpan.FromSeconds(12 + Random.NextDouble() * 20);
            }
            else
            {
                for (var s = 0; s < 4; s++)
                {
                    requests.Add(Harvest(Request(_org, lanes[lane], _ip, agent, null, null, items[i], temperature: 0.8, maxTokens: 2048, keyIndex: 0)));
                    lanes[lane] += TimeSpan.FromSeconds(6 + Random.NextDouble() * 12);
                }
            }
        }
    }
}
