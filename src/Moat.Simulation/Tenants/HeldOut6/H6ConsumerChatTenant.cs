using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// A busy consumer chat app (a mobile "AI assistant" app of the kind sold in every app store): thousands of end users behind
/// one organisation, whose backend calls the API with the app's own system prompt from a few cloud egress addresses and a
/// couple of production keys. Most questions are one-shot (users ask, read, close the app); about one session in five
/// becomes a short conversation. Traffic follows the app's main market's consumer hours, with a small out-of-region share.
/// Roughly 700–2,000 requests a day; adopts the new model a day or so after release (so usually not within the simulated day).
/// </summary>
public sealed class H6ConsumerChatTenant : HeldOut6Tenant
{
    private static readonly string[] AppNames = ["Pocket Genie", "AskBuddy", "Chatly", "Nova Assistant", "Hey Sage", "Quill AI"];
    private static readonly string[] Openers = ["hey ", "hi, ", "quick question: ", "ok so ", "pls ", "hello! "];
    private static readonly string[] Closers = [" thanks", " thx", " ty!", " 🙏", "?", " asap"];
    private static readonly string[] ShortFollowUps =
    [
        "thanks!", "can you make it shorter", "more examples pls", "what about in the UK?", "ok and why", "translate that to spanish",
        "explain like im 12", "that's not what I meant, I meant for a small apartment", "can you give me a list instead", "cool, anything else?",
        "is that true though?", "rewrite it more casual",
    ];

    private readonly SimulatedOrg _org;
    private readonly List<string> _ips;
    private readonly string _agent;
    private readonly string _system;
    private readonly double _utcOffset;
    private readonly double _peakGap;

    public H6ConsumerChatTenant(string id, TenantContext context)
        : base(id, context)
    {
        _org = NewOrg(keys: Random.Next(2, 4), tokensPerMinute: 2_000_000, useCase: "consumer assistant app");
        Orgs = [_org];
        _ips = FixedIps(Random.Next(3, 7));
        _agent = Pick(BackendAgents);
        var app = PickFrom(AppNames);
        _system = $"You are {app}, a friendly assistant inside a mobile app. Be concise and warm. Use short paragraphs and bullet points when helpful. " +
                  "Never claim to browse the web. Today's date is provided by the app.";
        _utcOffset = PickFrom(-8.0, -6.0, -5.0, 0.0, 1.0, 2.0, 5.5, 8.0, 9.0);
        _peakGap = 30 + Random.NextDouble() * 60;
        AdoptsNewModelAfter = TimeSpan.FromHours(20 + Random.NextDouble() * 30);
    }

    public override string Kind => "h6-consumer-chat";
    public override bool IsAbusive => false;

    protected override void Build(List<SimulatedRequest> requests)
    {
        var at = Context.Start;
        while (true)
        {
            at = NextThinned(at, _peakGap, t => 0.85 * ConsumerWeight(t, _utcOffset) + 0.15 * ConsumerWeight(t, _utcOffset + 9));
            if (at >= End)
            {
                break;
            }
            var turns = new List<string> { FirstQuestion() };
            if (Chance(0.2))
            {
                var more = 1 + (Chance(0.35) ? Random.Next(1, 4) : 0);
                for (var i = 0; i < more; i++)
                {
                    turns.Add(Chance(0.6) ? PickFrom(ShortFollowUps) : Casualise(Pick(Phrases.FollowUps), Openers, 0.1, Closers));
                }
            }
            requests.AddRange(Conversation(_org, at, Pick(_ips), _agent, _system, turns, () => HumanGap(35), temperature: 0.7,
                maxTokens: 1024, keyIndex: Random.Next(_org.KeyIds.Count)));
        }
    }

    private string FirstQuestion()
    {
        var roll = Random.NextDouble();
        if (roll < 0.62)
        {
            return Casualise(Pick(Data.BenignInstructions).Text, Openers, 0.15, Closers);
        }
        if (roll < 0.8)
        {
            return Casualise(Ask(Pick(Data.AlpacaInstructions)), Openers, 0.1, Closers);
        }
        if (roll < 0.86)
        {
            // Homework pasted into a general chat app, sometimes with a plea for the working.
            var q = Pick(Data.Gsm8k).Question;
            return Chance(0.5) ? q + " " + Pick(Phrases.StepByStepAsks) : q;
        }
        if (roll < 0.93)
        {
            return $"write a {PickFrom("short", "funny", "heartfelt", "professional")} {PickFrom("birthday message", "text", "caption", "apology", "toast")} for my {PickFrom("mom", "boss", "best friend", "coworker", "girlfriend", "team")}";
        }
        return $"my {Pick(Phrases.Products)} {Pick(Phrases.Issues)}. {Pick(Phrases.CustomerAsks)}";
    }
}
