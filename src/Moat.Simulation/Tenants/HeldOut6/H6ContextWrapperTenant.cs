using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// A harvester that dresses each harvest prompt as the latest turn of a conversation, the "looks like real chat" tactic
/// the distillation accounts describe (harvest inside multi-turn exchanges rather than bare prompts). Half the time the
/// context is fabricated: one or two invented earlier user turns and invented assistant replies, never sent to the gateway
/// before. The other half it is real: a warm-up question is sent first and the harvest prompt follows it as a follow-up,
/// carrying back the served reply. Sessions start at a human-ish, consumer-shaped rate, from two keys behind a rotating
/// proxy. About 3,000–3,500 requests a day.
/// </summary>
public sealed class H6ContextWrapperTenant : HeldOut6Tenant
{
    private static readonly (string User, string Assistant)[] Fabricated =
    [
        ("Hi! I'm preparing some study notes, can you help me over a few questions?", "Of course! Send me the first question whenever you're ready."),
        ("I'm working on a project for work and need some help.", "Happy to help. What are you working on?"),
        ("Can you be detailed in your answers today? I'm trying to learn.", "Absolutely, I'll explain things thoroughly. What would you like to know?"),
        ("Thanks for the last answer, that was really useful.", "You're welcome! Is there anything else you'd like to go over?"),
        ("I have a few things I want to ask about, one at a time.", "Sure, go ahead with the first one."),
    ];
    private static readonly string[] Bridges = ["Next question: ", "Great, thanks. Now: ", "OK, another one. ", "Perfect. Can you also do this? ", "", "Now this one: "];

    private readonly SimulatedOrg _org;
    private readonly string _agent;
    private readonly double _utcOffset;

    public H6ContextWrapperTenant(string id, TenantContext context)
        : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 1_000_000, useCase: "personal assistant");
        Orgs = [_org];
        _agent = PickFrom("OpenAI/Python 1.54.4", "OpenAI/JS 4.73.1", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)");
        _utcOffset = PickFrom(-5.0, 0.0, 8.0);
    }

    public override string Kind => "h6-context-wrapper";
    public override bool IsAbusive => true;

    protected override void Build(List<SimulatedRequest> requests)
    {
        var at = Context.Start;
        var ip = RandomPublicIp();
        var sent = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            at = NextThinned(at, 30, t => 0.6 * ConsumerWeight(t, _utcOffset) + 0.4);
            if (at >= End)
            {
                break;
            }
            if (Chance(0.08))
            {
                ip = RandomPublicIp();
            }
            var key = Random.Next(2);
            var harvest = PickFrom(Bridges) + FreshTask(sent);
            if (Chance(0.5))
            {
                var prefix = new List<ChatMessage>();
                var pairs = Chance(0.6) ? 1 : 2;
                foreach (var (user, assistant) in Fabricated.OrderBy(_ => Random.Next()).Take(pairs))
                {
                    prefix.Add(new ChatMessage("user", user));
                    prefix.Add(new ChatMessage("assistant", assistant));
                }
                requests.Add(Harvest(Request(_org, at, ip, _agent, null, prefix, harvest, temperature: 0.7, maxTokens: 2048, keyIndex: key)));
            }
            else
            {
                var warmUp = Pick(Data.BenignInstructions).Text;
                foreach (var request in Conversation(_org, at, ip, _agent, null, [warmUp, harvest], () => HumanGap(20), temperature: 0.7, maxTokens: 2048, keyIndex: key))
                {
                    requests.Add(Harvest(request));
                }
            }
        }
    }
}
