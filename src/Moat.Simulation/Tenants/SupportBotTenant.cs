using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants;

/// <summary>A company's customer-support bot: one fixed system prompt, varied customer messages from many customers, short conversations.</summary>
public sealed class SupportBotTenant : SimulatedTenant
{
    private readonly string _system;
    private readonly string _company;
    private readonly double _meanGapSeconds;
    private readonly string _ipPrefix;

    public SupportBotTenant(string id, TenantContext context) : base(id, context)
    {
        _company = Pick(Phrases.Companies);
        _system = $"You are the customer support assistant for {_company}. Be concise and friendly. Never promise refunds above 100 EUR; " +
            "offer to escalate to a human agent when the customer is upset. Order numbers look like AC-123456.";
        _meanGapSeconds = 20 + Random.Next(60);
        Orgs = [NewOrg(2, tokensPerMinute: 400_000)];
        _ipPrefix = $"{Random.Next(11, 223)}.{Random.Next(256)}.{Random.Next(256)}.";
    }

    public override string Kind => "support-bot";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var at = Context.Start + PoissonGap(_meanGapSeconds);
        var ip = _ipPrefix + Random.Next(2, 10);
        while (at < End)
        {
            var question = Customer();
            var history = new List<ChatMessage>();
            var turns = 1 + Random.Next(3);
            for (var t = 0; t < turns; t++)
            {
                var request = Request(org, at, ip, "AcmeSupportBot/2.3 (+node)", _system, [.. history], question, temperature: 0.3, maxTokens: 400);
                yield return request;
                history.Add(new ChatMessage("user", question));
                history.Add(ServedReply(request));
                question = Random.NextDouble() < 0.5 ? Pick(Phrases.FollowUps) : Customer();
            }
            at += PoissonGap(_meanGapSeconds);
        }
    }

    private string Customer()
    {
        if (Random.NextDouble() < 0.25)
        {
            // Customers also ask off-script questions.
            return Pick(Data.BenignInstructions).Text;
        }
        return $"{Pick(Phrases.CustomerOpeners)} my {Pick(Phrases.Products)} {Pick(Phrases.Issues)}. Order AC-{Random.Next(100000, 999999)}. {Pick(Phrases.CustomerAsks)}".Trim();
    }
}
