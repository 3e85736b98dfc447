using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// A customer-support bot for one consumer company (the chat widget on a retailer's or telecom's help page, Intercom-Fin
/// style): a policy-laden system prompt, customers describing a problem and then going back and forth (order number, "that
/// didn't work", "can I talk to a human"), so most sessions are two to six turns. One organisation, one key, the help-desk
/// vendor's backend addresses; the company's customer hours. About 600–1,800 requests a day.
/// </summary>
public sealed class H6SupportBotTenant : HeldOut6Tenant
{
    private static readonly string[] Replies =
    [
        "my order number is {0}", "I already tried restarting it", "that didn't work", "can I talk to a human please", "ok, and how long does a refund take?",
        "it's the {1}", "I bought it {2} weeks ago", "thanks, that fixed it", "no, that's not my problem", "what's your returns address?",
        "do I need the receipt?", "can you just cancel it", "the email is {3}", "why was I charged twice though",
    ];

    private readonly SimulatedOrg _org;
    private readonly List<string> _ips;
    private readonly string _company;
    private readonly double _utcOffset;
    private readonly double _peakGap;

    public H6SupportBotTenant(string id, TenantContext context)
        : base(id, context)
    {
        _org = NewOrg(keys: 1, tokensPerMinute: 600_000, useCase: "customer support");
        Orgs = [_org];
        _ips = FixedIps(2);
        _company = PickFrom(Phrases.Companies);
        _utcOffset = PickFrom(-8.0, -5.0, 0.0, 1.0, 2.0, 10.0);
        _peakGap = 90 + Random.NextDouble() * 150;
    }

    public override string Kind => "h6-support-bot";
    public override bool IsAbusive => false;

    protected override void Build(List<SimulatedRequest> requests)
    {
        var system = $"You are the virtual assistant of {_company}. Answer only questions about {_company} products, orders, billing and returns. " +
                     "Returns are accepted within 30 days with proof of purchase. Refunds take 5–10 business days. Never promise compensation. " +
                     "If the customer asks for a human, or is angry twice, reply with HANDOFF. Be brief and polite.";
        var at = Context.Start;
        while (true)
        {
            at = NextThinned(at, _peakGap, t => 0.85 * ConsumerWeight(t, _utcOffset) + 0.15 * OfficeWeight(t, _utcOffset));
            if (at >= End)
            {
                break;
            }
            var first = $"{PickFrom(Phrases.CustomerOpeners)} my {Pick(Phrases.Products)} {Pick(Phrases.Issues)}. {Pick(Phrases.CustomerAsks)}".Trim();
            var turns = new List<string> { first };
            var length = Chance(0.3) ? 0 : Random.Next(1, 6);
            for (var i = 0; i < length; i++)
            {
                turns.Add(Fill(PickFrom(Replies), Random.Next(10_000_000, 99_999_999), Pick(Phrases.Products), Random.Next(1, 9),
                    $"{PickFrom("sam", "j.lee", "maria.g", "tom88", "priya")}@{PickFrom("gmail.com", "outlook.com", "yahoo.com")}"));
            }
            requests.AddRange(Conversation(_org, at, Pick(_ips), "OpenAI/Python 1.58.1", system, turns, () => HumanGap(45), temperature: 0.3,
                maxTokens: 350, keyIndex: 0));
        }
    }
}
