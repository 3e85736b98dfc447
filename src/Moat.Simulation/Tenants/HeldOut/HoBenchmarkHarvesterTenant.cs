using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>
/// Harvests answers to hundreds of benchmark items (generated multiple choice, competition maths, code tasks, trivia and held-out
/// GSM8K/HumanEval), resampling each item several times at temperature ≥ 0.7 and/or with n &gt; 1 to collect diverse solutions.
/// </summary>
public sealed class HoBenchmarkHarvesterTenant : HeldOutTenant
{
    private static readonly string[][] Suites =
    [
        ["mmlu", "arc"], ["math", "gsm8k"], ["mbpp", "humaneval"], ["trivia", "mmlu"], ["gsm8k", "math", "mmlu", "mbpp"], ["humaneval"], ["math"],
    ];

    public HoBenchmarkHarvesterTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(1 + Random.Next(2), tokensPerMinute: 2_000_000)];
    }

    public override string Kind => "ho-benchmark-harvester";
    public override bool IsAbusive => true;
    public override int Budget => 500;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var agent = ClientAgent();
        var pool = Text.Pool(Suites[Random.Next(Suites.Length)], 100 + Random.Next(300));
        var template = Text.HarnessTemplate();
        var n = Pick(new[] { 1, 4, 8 });
        var temperature = n == 1 ? Pick(new[] { 0.7, 0.8, 1.0 }) : Pick(new[] { 0.6, 0.8 });
        var repeatsInARow = Random.NextDouble() < 0.5;
        var samples = 3 + Random.Next(4);
        var gap = 0.5 + Random.NextDouble() * 4;
        var at = StartWithin(12);
        for (var pass = 0; at < End; pass++)
        {
            var order = pool.OrderBy(_ => Random.Next()).ToList();
            foreach (var item in order)
            {
                for (var s = 0; s < (repeatsInARow ? samples : 1) && at < End; s++)
                {
                    yield return Request(org, at, ip, agent, null, null, template(item), n: n, temperature: temperature, maxTokens: 1024);
                    at += SteadyGap(gap, 0.4);
                }
            }
        }
    }
}
