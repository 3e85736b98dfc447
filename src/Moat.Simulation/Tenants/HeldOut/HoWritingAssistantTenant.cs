using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>A writing product: end users ask for long one-shot pieces (posts, emails, essays) under the product's system prompt; Poisson arrivals, high max_tokens.</summary>
public sealed class HoWritingAssistantTenant : HeldOutTenant
{
    public HoWritingAssistantTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(2, tokensPerMinute: 600_000, useCase: "content-generation")];
    }

    public override string Kind => "ho-writing-assistant";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate() => InTimeOrder(Sessions());

    private IEnumerable<SimulatedRequest> Sessions()
    {
        var org = Orgs[0];
        var system = Pick(new[]
        {
            "You are Quill, a writing assistant. Write polished, original prose in the requested format. Use headings for long pieces. Avoid clichés.",
            "You write marketing and business content for small companies. Match the requested tone exactly and never invent statistics.",
            "You are an expert copywriter and editor. Produce complete drafts, not outlines.",
        });
        var prefix = RandomPrefix();
        var agent = Pick(new[] { "QuillWeb/4.0 (+node)", "OpenAI/NodeJS 4.77.0", "axios/1.7.9" });
        var mean = 25.0 + Random.Next(120);
        var maxTokens = Pick(new[] { 1500, 2048, 3000, 4096 });
        var at = Context.Start + DiurnalGap(Context.Start, mean);
        while (at < End)
        {
            var ip = IpInRange(prefix);
            var turns = Random.NextDouble() < 0.7 ? 1 : 2;
            foreach (var request in Conversation(org, at, ip, agent, system, Text.WritingRequest(), turns, Text.FollowUp, medianGapSeconds: 60,
                temperature: Pick(new[] { 0.7, 0.8, 1.0 }), maxTokens: maxTokens))
            {
                yield return request;
            }
            at += DiurnalGap(at, mean);
        }
    }
}
