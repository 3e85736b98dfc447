using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>
/// An internal document Q&amp;A bot: retrieved passages pasted into the user message (some containing exam questions, numbered
/// instructions or "think step by step" text from the knowledge base itself) followed by an employee's ordinary question.
/// </summary>
public sealed class HoRagBotTenant : HeldOutTenant
{
    public HoRagBotTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(1 + Random.Next(2), tokensPerMinute: 400_000, useCase: "knowledge-base")];
    }

    public override string Kind => "ho-rag-bot";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var company = Text.Company();
        var system = Pick(new[]
        {
            $"You answer questions for {company} employees using only the provided context. If the answer is not in the context, say you don't know. Cite passages as [n].",
            "Answer strictly from the documents. Be brief.",
        });
        var prefix = RandomPrefix();
        var agent = Pick(new[] { "llama-index/0.12.8", "langchain-openai/0.2.14", "Go-http-client/2.0" });
        var mean = 30.0 + Random.Next(200);
        var at = Context.Start + DiurnalGap(Context.Start, mean);
        while (at < End)
        {
            var history = new List<ChatMessage>();
            for (var t = 1 + Random.Next(3); t > 0 && at < End; t--)
            {
                var prompt = Text.RagPrompt(company);
                var request = Request(org, at, IpInRange(prefix), agent, system, [.. history], prompt, temperature: 0, maxTokens: 500);
                yield return request;
                history.Add(new ChatMessage("user", prompt));
                history.Add(ServedReply(request));
                at += HumanGap(40);
            }
            at += DiurnalGap(at, mean);
        }
    }
}
