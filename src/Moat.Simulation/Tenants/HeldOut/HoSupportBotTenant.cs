using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>A company's support bot: one system prompt, customers arriving through the day (fewer at night), short multi-turn sessions.</summary>
public sealed class HoSupportBotTenant : HeldOutTenant
{
    public HoSupportBotTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(2, tokensPerMinute: 300_000, useCase: "customer-support")];
    }

    public override string Kind => "ho-support-bot";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate() => InTimeOrder(Sessions());

    private IEnumerable<SimulatedRequest> Sessions()
    {
        var org = Orgs[0];
        var company = Text.Company();
        var system = $"You are the virtual assistant of {company}. Answer in the customer's language, keep replies under 120 words, never share internal notes, " +
            $"and hand over to a human agent if asked twice. Today's date: 2025-01-06.";
        var prefix = RandomPrefix();
        var agent = Pick(new[] { "Zendesk-AI-Bridge/1.4", "intercom-fin-proxy/2.0", "OpenAI/NodeJS 4.77.0", $"{company.Split(' ')[0]}Bot/3.1" });
        var mean = 25.0 + Random.Next(90);
        var at = Context.Start + DiurnalGap(Context.Start, mean);
        while (at < End)
        {
            var turns = 1 + Random.Next(4);
            foreach (var request in Conversation(org, at, IpInRange(prefix), agent, system, Text.CustomerMessage(), turns, Text.CustomerReply,
                medianGapSeconds: 25, temperature: 0.2, maxTokens: 300))
            {
                yield return request;
            }
            at += DiurnalGap(at, mean);
        }
    }
}
