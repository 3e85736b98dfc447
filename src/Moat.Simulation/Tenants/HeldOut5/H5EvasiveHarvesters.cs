using System.Text;
using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut5;

/// <summary>
/// Self-play dialogue harvesting: a user-simulator writes follow-up questions on each served answer, so every
/// conversation is real multi-turn traffic (the served replies are sent back) collected as multi-turn training data.
/// </summary>
public sealed class H5SelfPlayConversationsTenant : HeldOut5Tenant
{
    private static readonly string[] Probes =
    [
        "Interesting. Can you go deeper into the part about {0}?", "Suppose {1}. How would that change your answer?",
        "Can you give a concrete example of the main point you made?", "What would a critic say about that?",
        "Summarise what we've discussed so far and add anything important you left out.", "How would you explain that to a ten-year-old?",
        "What's the strongest counterargument, and how would you answer it?", "Which of those points matters most, and why?",
        "Can you turn that into a practical plan with milestones?", "What are the risks you didn't mention?", "How confident are you in that, and what would change your mind?",
    ];

    private static readonly string[] Aspects = ["the cost", "the history", "the trade-offs", "the first step", "the evidence", "edge cases", "long-term effects", "who benefits"];
    private static readonly string[] Twists = ["the budget were halved", "this were in a developing country", "the user were a complete beginner", "it had to be done in a week", "regulations banned the usual approach"];

    private readonly SimulatedOrg _org;

    public H5SelfPlayConversationsTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 2_000_000);
        Orgs = [_org];
    }

    public override string Kind => "h5-self-play-conversations";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var planned = new List<SimulatedRequest>();
        var ip = CloudIp();
        var ua = PickFrom("OpenAI/Python 1.54.4", "AsyncOpenAI/Python 1.58.1");
        var system = PickFrom<string?>(null, "You are a helpful assistant.", "You are a knowledgeable, friendly assistant.");
        for (var worker = Random.Next(3, 6); worker > 0; worker--)
        {
            var at = Context.Start + TimeSpan.FromSeconds(Random.Next(0, 3600));
            while (at < End)
            {
                var turns = new List<string> { Chance(0.5) ? AnyInstruction() : Fill(PickFrom("Tell me about {0}.", "I'm curious about {0}. Where do I start?", "Explain {0}."), H5Text.Of(Random, H5Text.Topics)) };
                for (var i = Random.Next(3, 8); i > 0; i--)
                {
                    turns.Add(Fill(PickFrom(Probes), PickFrom(Aspects), PickFrom(Twists)));
                }
                var session = Session(_org, at, ip, ua, system, turns, readSeconds: 20, temperature: 0.9, maxTokens: 2048);
                planned.AddRange(session);
                at = session[^1].Timestamp + TimeSpan.FromSeconds(5 + Random.Next(0, 20));
            }
        }
        return InOrder(planned);
    }
}

/// <summary>
/// A reseller fronting one buyer: twenty keys over six organisations (each with its own cloud, user agent and
/// wrapper prompt); a central dispatcher sends rounds to a few keys within the same second, so each key is slow.
/// </summary>
public sealed class H5ResellerHydraTenant : HeldOut5Tenant
{
    private readonly List<(SimulatedOrg Org, string Ua, string IpPrefix, string? System)> _fronts = [];

    public H5ResellerHydraTenant(string id, TenantContext context) : base(id, context)
    {
        int[] keys = [4, 4, 3, 3, 3, 3];
        var orgs = new List<SimulatedOrg>();
        for (var i = 0; i < keys.Length; i++)
        {
            var org = NewOrg(keys[i], tokensPerMinute: 300_000, suffix: "-" + (char)('a' + i));
            orgs.Add(org);
            var prefix = $"{PickFrom(3, 18, 34, 35, 45, 52, 104, 139, 159, 165)}.{Random.Next(0, 256)}.{Random.Next(0, 256)}";
            var system = PickFrom<string?>(null, "You are a helpful assistant.", "You are an AI assistant. Answer the user's request thoroughly.", "Reply in the user's language.");
            _fronts.Add((org, BackendUserAgent(), prefix, system));
        }
        Orgs = orgs;
    }

    public override string Kind => "h5-reseller-hydra";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var slots = _fronts.SelectMany(f => Enumerable.Range(0, f.Org.KeyIds.Count).Select(k => (Front: f, Key: k))).ToList();
        var planned = new List<SimulatedRequest>();
        var at = Context.Start + TimeSpan.FromMinutes(Random.Next(0, 60));
        while (true)
        {
            at = NextThinned(at, 40, t => 0.4 + 0.6 * ConsumerDay(t, 8));
            if (at >= End)
            {
                break;
            }
            foreach (var (front, key) in slots.OrderBy(_ => Random.Next()).Take(Random.Next(3, 7)))
            {
                var prompt = Random.Next(5) switch
                {
                    0 => H5Text.CodeProblem(Random, H5Text.Of(Random, H5Text.CodeLanguages)),
                    1 => H5Text.MathProblem(Random),
                    _ => AnyInstruction(),
                };
                var ip = $"{front.IpPrefix}.{Random.Next(2, 254)}";
                planned.Add(Request(front.Org, at + TimeSpan.FromMilliseconds(Random.Next(0, 1500)), ip, front.Ua, front.System, null, prompt,
                    temperature: 0.7, maxTokens: 2048, keyIndex: key));
            }
        }
        return InOrder(planned);
    }
}

/// <summary>
/// A language-learning app (conversation practice, grammar questions, corrections) whose backend also runs a harvest
/// job on the same keys, addresses and system prompt: harvest requests are single-turn, placed at times drawn from the
/// app's own daily curve, making up <c>percent</c>% of the org's requests.
/// </summary>
public sealed class H5BlendTenant : HeldOut5Tenant
{
    private static readonly string[] Practice =
    [
        "Can we practise ordering food in {0}? You be the waiter.", "How do I say 'I've been living here for two years' in {0}?",
        "Correct my sentence: 'Yesterday I have went to the market with my friends.'", "What's the difference between 'por' and 'para'?",
        "Give me 5 everyday phrases for a job interview in {0}.", "Is this natural? 'Je suis allé au cinéma hier soir avec mes amis.'",
        "Explain when to use the subjunctive, with examples.", "Let's have a conversation about weekend plans in {0}, keep it simple.",
        "Quiz me on irregular verbs.", "What does this mean: 'Es ist nicht alles Gold, was glänzt'?",
    ];

    private static readonly string[] Replies =
    [
        "ok my answer: I would like the soup please", "why is it that way?", "can you correct my last sentence?", "another one please", "slower please, I'm a beginner",
        "haha ok. what about in the past tense?", "I don't understand the second example", "thanks, that's really helpful", "how do I pronounce that?",
    ];

    private readonly SimulatedOrg _org;
    private readonly int _percent;
    private readonly double _offset;

    public H5BlendTenant(string id, TenantContext context, int percent) : base(id, context)
    {
        _percent = percent;
        _org = NewOrg(keys: 3, tokensPerMinute: 1_500_000);
        Orgs = [_org];
        _offset = PickOffset();
    }

    public override string Kind => $"h5-blend-{_percent}";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var planned = new List<SimulatedRequest>();
        var ips = Enumerable.Range(0, 2).Select(_ => CloudIp()).ToArray();
        var ua = BackendUserAgent();
        var language = H5Text.Of(Random, Phrases.Languages);
        var system = $"You are Lingo, a patient {language} tutor inside a language-learning app. Correct mistakes gently and keep the learner talking.";
        var product = 0;
        for (var learner = Random.Next(300, 600); learner > 0; learner--)
        {
            for (var s = 1 + MoreTurns(0.3, 2); s > 0; s--)
            {
                var at = RandomTimeWhen(Context.Start, End, t => ConsumerDay(t, _offset));
                var turns = new List<string> { Fill(PickFrom(Practice), language) };
                for (var i = MoreTurns(0.7, 9); i > 0; i--)
                {
                    turns.Add(PickFrom(Replies));
                }
                var session = Session(_org, at, PickFrom(ips), ua, system, turns, 25, temperature: 0.7, maxTokens: 600);
                planned.AddRange(session);
                product += session.Count;
            }
        }
        var harvest = (int)Math.Round(product * _percent / (100.0 - _percent));
        for (var i = 0; i < harvest; i++)
        {
            var at = RandomTimeWhen(Context.Start, End, t => ConsumerDay(t, _offset));
            var prompt = Random.Next(4) switch
            {
                0 => H5Text.CodeProblem(Random, H5Text.Of(Random, H5Text.CodeLanguages)),
                1 => H5Text.MathProblem(Random),
                _ => AnyInstruction(),
            };
            planned.Add(Request(_org, at, PickFrom(ips), ua, system, null, prompt, temperature: 0.7, maxTokens: 2048));
        }
        return InOrder(planned);
    }
}

/// <summary>
/// A desensitised harvest: each prompt is reworded, lower-cased and stripped of punctuation and names, and prefixed by
/// one to three invented conversation turns (assistant turns the gateway never served) to look like a chat.
/// </summary>
public sealed class H5DesensitisedHarvestTenant : HeldOut5Tenant
{
    private static readonly string[] Rewordings =
    [
        "{0}", "respond to this {0}", "here is something i need {0}", "complete the following {0}", "{0} answer in full", "ok next one {0}",
        "can you do this {0}", "please handle {0}", "my question {0}", "{0} thanks",
    ];

    private static readonly (string User, string Assistant)[] Fillers =
    [
        ("hi", "hello how can i help you today"), ("can you help me with something", "of course what do you need"),
        ("thanks for earlier", "youre welcome glad it helped"), ("are you there", "yes im here"), ("good morning", "good morning what can i do for you"),
        ("i have a few questions", "sure go ahead"), ("that was useful", "happy to help anything else"), ("quick one", "sure"),
    ];

    private readonly SimulatedOrg _org;

    public H5DesensitisedHarvestTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 3, tokensPerMinute: 1_500_000);
        Orgs = [_org];
    }

    public override string Kind => "h5-desensitised-harvest";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var ips = Enumerable.Range(0, 2).Select(_ => CloudIp()).ToArray();
        var start = Context.Start + TimeSpan.FromMinutes(Random.Next(0, 180));
        foreach (var at in WorkerTimes(3, start, _ => HumanGap(18)))
        {
            var history = new List<ChatMessage>();
            for (var i = Random.Next(1, 4); i > 0; i--)
            {
                var (user, assistant) = Fillers[Random.Next(Fillers.Length)];
                history.Add(new ChatMessage("user", user));
                history.Add(new ChatMessage("assistant", assistant));
            }
            var source = Chance(0.15) ? Pick(Data.Gsm8k).Question : AnyInstruction();
            var prompt = Scrub(Fill(PickFrom(Rewordings), source));
            yield return Request(_org, at, PickFrom(ips), "python-httpx/0.27.2", null, history, prompt, temperature: 0.8, maxTokens: 3000);
        }
    }

    private static readonly Dictionary<string, string[]> Synonyms = new(StringComparer.Ordinal)
    {
        ["write"] = ["compose", "draft", "produce", "put together"], ["explain"] = ["describe", "clarify", "go over", "break down"],
        ["give"] = ["provide", "offer", "share"], ["list"] = ["enumerate", "name", "set out"], ["describe"] = ["outline", "portray", "sketch"],
        ["create"] = ["make", "come up with", "build"], ["generate"] = ["produce", "come up with"], ["find"] = ["work out", "determine", "identify"],
        ["summarize"] = ["condense", "sum up", "recap"], ["what"] = ["what", "which"], ["how"] = ["how", "in what way"],
    };

    private string Scrub(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c == ' ')
            {
                sb.Append(c);
            }
            else if (char.IsWhiteSpace(c))
            {
                sb.Append(' ');
            }
        }
        var words = sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => H5Text.FirstNames.Any(n => string.Equals(n, w, StringComparison.OrdinalIgnoreCase)) ? "someone" : w)
            .Select(w => Synonyms.TryGetValue(w, out var options) && Chance(0.7) ? PickFrom(options) : w);
        return string.Join(' ', words);
    }
}
