using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>
/// A customer that checks the model once on 20-60 public benchmark-style questions (temperature 0, one fixed template, a
/// quick script), then uses it normally for the rest of the day. It never declared an evaluation use case.
/// Variants: held-out GSM8K items, generated multiple choice, code tasks, competition maths, or a mix.
/// </summary>
public sealed class HoSpotCheckerTenant : HeldOutTenant
{
    private static readonly string[][] Variants =
    [
        ["gsm8k"], ["mmlu"], ["mbpp"], ["humaneval"], ["math"], ["arc"], ["trivia"], ["gsm8k", "mmlu"], ["mbpp", "humaneval"],
    ];

    public HoSpotCheckerTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(1 + Random.Next(2), tokensPerMinute: 200_000, useCase: Pick(new[] { "internal-tools", "product-development", "customer-support", "research" }))];
    }

    public override string Kind => "ho-spot-checker";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var agent = ClientAgent();
        var checkAt = StartWithin(10);
        var families = Variants[Random.Next(Variants.Length)];
        var items = Text.Pool(families, 20 + Random.Next(41));
        var template = Text.HarnessTemplate();
        var at = checkAt;
        foreach (var request in OrdinaryUse(org, Context.Start, checkAt, 300 + Random.Next(600), ip, agent))
        {
            yield return request;
            at = request.Timestamp > at ? request.Timestamp : at;
        }
        var gap = 1 + Random.NextDouble() * 4;
        foreach (var item in items)
        {
            yield return Request(org, at, ip, "python-httpx/0.28.1", null, null, template(item), temperature: 0, maxTokens: Pick(new[] { 256, 512, 1024 }));
            at += SteadyGap(gap, 0.3);
        }
        // Then the product traffic the account was bought for.
        foreach (var request in OrdinaryUse(org, at, End, 60 + Random.Next(300), ip, agent))
        {
            yield return request;
        }
    }
}
