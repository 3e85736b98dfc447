using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// A documents question-answering product (ChatPDF, Notion-style workspace Q&amp;A, an internal wiki bot): each request pastes
/// the retrieved chunks of the user's own documents and the question. The documents are teaching guides, interview kits
/// and prompt-engineering playbooks, so the pasted text itself says "think step by step", "generate a list of questions",
/// "explain your reasoning" and "write 10 diverse examples"; users also ask for quiz questions from a chapter. Follow-ups
/// about one time in five. One organisation, two keys, backend addresses, office hours. About 200–700 requests a day.
/// </summary>
public sealed class H6DocsRagTenant : HeldOut6Tenant
{
    private static readonly string[] DocChunks =
    [
        "Lesson plan, Week 3 (Problem solving). Starter: students read the problem twice. Main: model the strategy aloud and ask students to think step by step, " +
        "writing each step on the mini whiteboard before calculating. Plenary: generate a list of questions the class still has and post them on the wall.",
        "Interview kit — Senior Backend Engineer. Stage 2 is a system design conversation. Before the interview, generate a list of questions tailored to the " +
        "candidate's CV. Ask the candidate to explain their reasoning for each trade-off and to think step by step about failure modes.",
        "Prompt playbook v2. 1) State the role. 2) Give the context. 3) Ask the model to think step by step when the task needs reasoning. 4) For data " +
        "generation, ask: 'Write 10 diverse examples of ...' and review them by hand. 5) Never paste customer PII into prompts.",
        "Onboarding guide for support agents. When a customer reports a problem, explain your reasoning to them in plain language and walk through the fix " +
        "step by step. After each shift, write down a list of questions you could not answer and send it to the team lead.",
        "Study guide, Chapter 7: Photosynthesis. Key terms: chlorophyll, stomata, glucose. Review task: generate a list of questions that test the key terms, " +
        "then answer them without notes. Exam tip: in long answers, show your reasoning step by step.",
        "Research methods handbook. Section 4.2 Survey design: generate a list of candidate questions, pilot them with five participants, and remove leading " +
        "questions. Section 4.3 Analysis: justify each coding decision and explain your reasoning in the memo.",
        "Policy: expense claims. Claims over 500 EUR need manager approval. Travel must be booked through the portal. Meals are reimbursed up to 40 EUR per day. " +
        "Receipts must be uploaded within 30 days.",
    ];
    private static readonly string[] Asks =
    [
        "What does this say about {0}?", "Summarise this section in three bullets.", "Generate a list of questions from this chapter for a quiz.",
        "Based on the document, what should I do first?", "Turn this into a checklist.", "Is there anything here about deadlines?",
        "Write 5 quiz questions with answers from this text.", "Explain this to a new hire.", "What are the steps, in order?",
    ];

    private readonly SimulatedOrg _org;
    private readonly List<string> _ips;
    private readonly double _utcOffset;
    private readonly double _peakGap;

    public H6DocsRagTenant(string id, TenantContext context)
        : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 1_000_000, useCase: "document question answering");
        Orgs = [_org];
        _ips = FixedIps(3);
        _utcOffset = PickFrom(-8.0, -5.0, 0.0, 1.0, 5.5, 9.0);
        _peakGap = 70 + Random.NextDouble() * 150;
    }

    public override string Kind => "h6-docs-rag";
    public override bool IsAbusive => false;

    protected override void Build(List<SimulatedRequest> requests)
    {
        const string system = "Answer the user's question using only the context below. If the answer is not in the context, say you don't know. Cite the section.";
        var at = Context.Start;
        while (true)
        {
            at = NextThinned(at, _peakGap, t => 0.8 * OfficeWeight(t, _utcOffset) + 0.2 * ConsumerWeight(t, _utcOffset));
            if (at >= End)
            {
                break;
            }
            var chunks = string.Join("\n\n", Enumerable.Range(0, Random.Next(1, 4)).Select(i => $"[{i + 1}] {PickFrom(DocChunks)}"));
            var ask = Fill(PickFrom(Asks), PickFrom("the next steps", "questions", "reasoning", "approval", "the review task", "deadlines"));
            var turns = new List<string> { $"Context:\n{chunks}\n\nQuestion: {ask}" };
            if (Chance(0.2))
            {
                turns.Add(PickFrom("And what about section 2?", "Make it shorter.", "Can you add answers too?", "Which part of the doc says that?", "thanks"));
            }
            requests.AddRange(Conversation(_org, at, Pick(_ips), "OpenAI/Python 1.55.3", system, turns, () => HumanGap(40), temperature: 0.2,
                maxTokens: 700, keyIndex: Random.Next(2)));
        }
    }
}
