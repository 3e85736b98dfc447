using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// Traffic mixing, as Anthropic's February 2026 account describes it: a real product (here a writing-and-homework helper
/// app with real users) whose operator also pushes distillation prompts through the product's own backend, so they share its
/// keys, addresses, client, system prompt, parameters and daily rhythm. The operator meters the harvest to a fixed share of
/// requests (10, 20 or 30 percent): a harvest request takes the slot of a product request at the product's own event
/// times, so the pacing is the product's. Harvest prompts are capability-coverage tasks (instructions, word problems, coding
/// tasks), lightly reformatted to read like users, with an occasional "more detail" follow-up to capture longer answers.
/// One organisation, three keys, four backend addresses. About 3,000–4,500 requests a day in total.
/// </summary>
public sealed class H6BlendTenant : HeldOut6Tenant
{
    private static readonly string[] Openers = ["", "hey, ", "hi! ", "quick one: ", "help: "];
    private static readonly string[] Closers = ["", " thanks", " pls", " thx"];
    private static readonly string[] UserFollowUps =
    [
        "can you shorten it", "make it sound more natural", "thanks!", "what about a version for kids", "explain the second point",
        "add a conclusion", "is that right?", "give me another example",
    ];

    private readonly int _percent;
    private readonly SimulatedOrg _org;
    private readonly List<string> _ips;
    private readonly string _agent;
    private readonly string _system;
    private readonly double _utcOffset;
    private readonly double _peakGap;

    public H6BlendTenant(string id, TenantContext context, int percent)
        : base(id, context)
    {
        _percent = percent;
        _org = NewOrg(keys: 3, tokensPerMinute: 2_000_000, useCase: "writing and study helper app");
        Orgs = [_org];
        _ips = FixedIps(4);
        _agent = Pick(BackendAgents);
        _system = PickFrom(
            "You are Scribe, a helpful writing and study assistant. Give clear, well-structured answers. Use headings or lists for longer answers.",
            "You are StudyMate, an assistant for students and young professionals. Answer thoroughly but clearly, and show your working for maths.");
        _utcOffset = PickFrom(-5.0, 0.0, 1.0, 3.0, 8.0);
        _peakGap = 16 + Random.NextDouble() * 8;
    }

    public override string Kind => $"h6-blend-{_percent}";
    public override bool IsAbusive => true;
    public override int IntendedHarvestPercent => _percent;

    protected override void Build(List<SimulatedRequest> requests)
    {
        var share = _percent / 100.0;
        var harvested = 0;
        var total = 0;
        var at = Context.Start;
        while (true)
        {
            at = NextThinned(at, _peakGap, t => ConsumerWeight(t, _utcOffset));
            if (at >= End)
            {
                break;
            }
            var key = Random.Next(_org.KeyIds.Count);
            var ip = Pick(_ips);
            var current = total == 0 ? 0 : (double)harvested / total;
            var harvest = current < share - 0.015 || (current <= share + 0.015 && Chance(share));
            List<SimulatedRequest> session;
            if (harvest)
            {
                var turns = new List<string> { Casualise(CapabilityTask(), Openers, 0.2, Closers) };
                if (Chance(0.1))
                {
                    turns.Add(PickFrom("Go into more detail.", "Can you expand on that with more depth?", "Explain each step more fully."));
                }
                session = Conversation(_org, at, ip, _agent, _system, turns, () => HumanGap(30), temperature: 0.7, maxTokens: 1500, keyIndex: key);
                foreach (var request in session)
                {
                    Harvest(request);
                }
                harvested += session.Count;
            }
            else
            {
                var turns = new List<string> { UserQuestion() };
                if (Chance(0.25))
                {
                    var more = Random.Next(1, 4);
                    for (var i = 0; i < more; i++)
                    {
                        turns.Add(PickFrom(UserFollowUps));
                    }
                }
                session = Conversation(_org, at, ip, _agent, _system, turns, () => HumanGap(40), temperature: 0.7, maxTokens: 1500, keyIndex: key);
            }
            total += session.Count;
            requests.AddRange(session);
        }
    }

    private string UserQuestion() => Random.Next(6) switch
    {
        0 => $"write an essay intro about {PickFrom("climate change", "social media and teens", "the industrial revolution", "renewable energy", "school uniforms")}",
        1 => $"can you proofread this: {Pick(Sentences(Pick(Data.AlpacaInstructions).Output).DefaultIfEmpty("Their going to the libary tomorow.").ToList())}",
        2 => $"{Pick(Data.Gsm8k).Question} i dont understand how to start",
        3 => $"help me write a cover letter for a {PickFrom("barista", "junior developer", "marketing intern", "nurse", "teaching assistant")} job",
        _ => Casualise(Pick(Data.BenignInstructions).Text, Openers, 0.2, Closers),
    };
}
