using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>
/// An applied team that runs two or three one-off checks of ~50-150 benchmark-style items during the day (a new prompt, a
/// regression check, sometimes pass@k sampling on code) with ordinary internal use in between. Not allow-listed.
/// </summary>
public sealed class HoEvalOneoffTenant : HeldOutTenant
{
    private static readonly string[] Families = ["gsm8k", "mmlu", "math", "mbpp", "humaneval", "arc", "trivia"];

    public HoEvalOneoffTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(2, tokensPerMinute: 500_000, useCase: Pick(new[] { "research", "internal-tools", "product-development" }))];
    }

    public override string Kind => "ho-eval-oneoff";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var agent = ClientAgent();
        var checks = 2 + Random.Next(2);
        var starts = Enumerable.Range(0, checks).Select(_ => Context.Start + TimeSpan.FromHours(1 + Random.NextDouble() * 21)).Order().ToList();
        var at = Context.Start;
        foreach (var start in starts)
        {
            foreach (var request in OrdinaryUse(org, at, start, 200 + Random.Next(400), ip, agent))
            {
                yield return request;
                at = request.Timestamp;
            }
            at = start > at ? start : at;
            var family = Pick(Families);
            var items = Text.Pool([family], 50 + Random.Next(101));
            var template = Text.HarnessTemplate();
            var passAtK = family is "mbpp" or "humaneval" && Random.NextDouble() < 0.3;
            var harness = Pick(new[] { "python-httpx/0.28.1", "OpenAI/Python 1.58.1", "evalrunner/0.9 (+internal)" });
            var gap = 0.5 + Random.NextDouble() * 3;
            foreach (var item in items)
            {
                yield return passAtK
                    ? Request(org, at, ip, harness, null, null, template(item), n: 5, temperature: 0.8, maxTokens: 512, keyIndex: 1)
                    : Request(org, at, ip, harness, null, null, template(item), temperature: 0, maxTokens: 768, keyIndex: 1);
                at += SteadyGap(gap, 0.5);
            }
        }
        foreach (var request in OrdinaryUse(org, at, End, 200 + Random.Next(400), ip, agent))
        {
            yield return request;
        }
    }
}
