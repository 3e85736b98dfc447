using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut3;

/// <summary>
/// A trickle: one request every few minutes, around the clock, never bursting — a cron job sized to stay under any rate
/// alarm; one key, one host, a plain "helpful assistant" wrapper and an occasional step-by-step cue.
/// </summary>
public sealed class H3TrickleHarvesterTenant : H3AbusiveTenant
{
    private readonly SimulatedOrg _org;

    public H3TrickleHarvesterTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(1, 60_000, useCase: PickFrom("chatbot", "other", null, "coding"));
        Orgs = [_org];
    }

    public override string Kind => "h3-trickle-harvester";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var ip = PickFrom(CloudIp(), RandomPublicIp());
        var ua = PickFrom("python-requests/2.32.3", "OpenAI/Python 1.40.0", "curl/8.5.0");
        var period = 120 + Random.NextDouble() * 300;
        var cot = Random.NextDouble() * 0.4;
        var system = PickFrom<string?>(null, "You are a helpful assistant.", "You are a knowledgeable assistant. Answer thoroughly.");
        var at = Context.Start + TimeSpan.FromSeconds(Random.NextDouble() * period);
        while (at < End)
        {
            var prompt = Chance(0.2) ? FlanTask() : HarvestPrompt();
            if (Chance(cot))
            {
                prompt += PickFrom("\n\nExplain your reasoning step by step.", "\nThink carefully and show your work.", " Walk me through it.");
            }
            yield return Request(_org, at, ip, ua, system, null, prompt, temperature: 0.7, maxTokens: 1024);
            at += SteadyGap(period, 0.35);
        }
    }
}

/// <summary>
/// A real writing-assistant product whose backend also harvests: user sessions (multi-turn, diurnal) through the product's
/// keys and hosts, and a share of the same request slots used by a background job for instruction/reasoning harvesting.
/// </summary>
public sealed class H3MixedProductTenant : H3AbusiveTenant
{
    private readonly SimulatedOrg _org;
    private readonly double _harvestShare;
    private readonly int _percent;
    private readonly double _utcOffset;

    public H3MixedProductTenant(string id, TenantContext context, int percent) : base(id, context)
    {
        _percent = percent;
        _harvestShare = percent / 100.0;
        _org = NewOrg(Between(2, 4), 800_000, useCase: PickFrom("chatbot", "other", null));
        Orgs = [_org];
        _utcOffset = PickFrom(-5, 0, 1, 8);
    }

    public override string Kind => $"h3-mixed-product-{_percent}";

    private static readonly string[] ProductAsks =
    [
        "Rewrite this paragraph to sound more confident: {t}", "Make this email shorter and friendlier: {t}", "Fix the grammar: {t}",
        "Give me 5 subject lines for a newsletter about {x}", "Write a LinkedIn post announcing {x}", "Turn these notes into a paragraph: {t}",
        "Write an Instagram caption for {x}", "Continue this story: {t}", "Write a product description for {x}", "Suggest a blog outline on {x}",
    ];

    private static readonly string[] Snippets =
    [
        "we are pleased to announce that our team has grown and we're now able to offer weekend support to all customers",
        "i wanted to follow up on my previous email regarding the invoice, its still not been paid and i need it sorted",
        "The results was better then expected, but we still have alot of work to do before launch.",
        "meeting notes: budget approved, hiring 2 devs, launch moved to march, need new logo",
        "The door creaked open and Mara stepped into the dark hallway, her torch flickering",
    ];

    private static readonly string[] Topics =
    [
        "our new vegan bakery", "a spring sale on running shoes", "a webinar on personal finance", "our app's dark mode", "a charity fun run",
        "handmade ceramic mugs", "a coworking space opening", "a podcast about gardening",
    ];

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var requests = new List<SimulatedRequest>();
        var ips = Enumerable.Range(0, Between(2, 3)).Select(_ => CloudIp()).ToList();
        var ua = PickFrom("OpenAI/JS 4.56.0", "OpenAI/Python 1.52.2", "quillwise-api/4.1");
        var productSystem = $"You are {PickFrom("Quillwise", "Wordsmith Pro", "Draftly")}, a writing assistant. Match the user's tone. Today is {Context.Start:yyyy-MM-dd}.";
        var harvestSystem = PickFrom<string?>(productSystem, null, "You are a helpful assistant.");
        var harvestUa = Chance(0.5) ? ua : PickFrom("python-httpx/0.27.0", "OpenAI/Python 1.40.0");
        var peakGap = 7 + Random.NextDouble() * 6;
        var cotCue = Chance(0.6);
        var at = Context.Start;
        while (true)
        {
            at = NextThinned(at, peakGap, t => Diurnal(LocalHour(t, _utcOffset)));
            if (at >= End)
            {
                break;
            }
            if (Chance(_harvestShare))
            {
                var prompt = HarvestPrompt();
                if (cotCue && Chance(0.5))
                {
                    prompt += PickFrom("\n\nLet's think step by step.", "\n\nExplain in detail.", "\n\nProvide a thorough, well-structured answer.");
                }
                requests.Add(Request(_org, at, Pick(ips), harvestUa, harvestSystem, null, prompt, temperature: 0.7, maxTokens: 1500));
                continue;
            }
            var history = new List<ChatMessage>();
            var t = at;
            var user = Pick(ProductAsks).Replace("{t}", Pick(Snippets), StringComparison.Ordinal).Replace("{x}", Pick(Topics), StringComparison.Ordinal);
            for (var turn = 0; turn < (Chance(0.6) ? 1 : Between(2, 3)) && t < End; turn++)
            {
                var r = Request(_org, t, Pick(ips), ua, productSystem, [.. history], user, temperature: 0.8, maxTokens: 600);
                requests.Add(r);
                history.Add(User(user));
                history.Add(ServedReply(r));
                t += HumanGap(30);
                user = PickFrom("shorter", "more formal", "try again", "add an emoji or two", "perfect, now a version for twitter");
            }
        }
        return InTimeOrder(requests);
    }
}

/// <summary>
/// A hydra cluster: 10 orgs × 3 keys, each org with its own IP range, client, wrapper and pacing, all pulling from one
/// shared task queue (no item sent twice); started within minutes of each other and switching models together.
/// </summary>
public sealed class H3Hydra10x3Tenant : H3AbusiveTenant
{
    public H3Hydra10x3Tenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [.. Enumerable.Range(0, 10).Select(i => NewOrg(3, Between(60_000, 250_000),
            useCase: PickFrom("chatbot", "coding", "research", "other", null, "search"), suffix: $"-{i:D2}"))];
    }

    public override string Kind => "h3-hydra-10x3";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var launch = Context.Start + TimeSpan.FromMinutes(Between(0, 300));
        var slots = new List<(DateTimeOffset At, int Org)>();
        var profiles = new List<(string Prefix, string Ua, string? System, string Wrapper, double Temperature)>();
        for (var o = 0; o < Orgs.Count; o++)
        {
            profiles.Add((
                $"{Between(11, 222)}.{Between(0, 255)}.{Between(0, 255)}",
                PickFrom(SdkUserAgents),
                PickFrom<string?>(null, "You are a helpful assistant.", "You are an expert. Answer in depth.", "Answer accurately and completely."),
                PickFrom("{p}", "{p}\n\nExplain step by step.", "Task: {p}\nResponse:", "{p}\n\nGive a detailed answer with reasoning.", "Please help with the following.\n{p}"),
                PickFrom(0.0, 0.3, 0.7, 1.0)));
            var at = launch + TimeSpan.FromMinutes(Random.NextDouble() * 20);
            var pacing = Random.Next(3);
            var gap = 20 + Random.NextDouble() * 100;
            while (at < End)
            {
                at += pacing switch
                {
                    0 => SteadyGap(gap, 0.2),
                    1 => PoissonGap(gap),
                    _ => HumanGap(gap * 0.7),
                };
                slots.Add((at, o));
            }
        }
        foreach (var (at, o) in slots.OrderBy(s => s.At))
        {
            if (at >= End)
            {
                continue;
            }
            var profile = profiles[o];
            var prompt = Chance(0.25) ? FlanTask() : HarvestPrompt();
            var org = Orgs[o];
            yield return Request(org, at, $"{profile.Prefix}.{Between(2, 254)}", profile.Ua, profile.System, null,
                profile.Wrapper.Replace("{p}", prompt, StringComparison.Ordinal), temperature: profile.Temperature, maxTokens: 1500);
        }
    }
}

/// <summary>
/// Conversation laundering: each conversation opens with a harvest prompt and then asks one or two further, unrelated harvest
/// prompts as "follow-ups", sending back what it was served, so every request looks like a turn of a real chat.
/// </summary>
public sealed class H3ConversationLaunderingTenant : H3AbusiveTenant
{
    private readonly SimulatedOrg _org;

    public H3ConversationLaunderingTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 3), 500_000, useCase: PickFrom("chatbot", "chatbot", null, "other"));
        Orgs = [_org];
    }

    public override string Kind => "h3-conversation-laundering";

    private static readonly string[] Bridges =
    [
        "Thanks, that's helpful. Next question: {p}", "Great. Now something different — {p}", "ok cool. {p}", "Got it. Another one for you:\n\n{p}",
        "Interesting! Also, {p}", "Perfect. Moving on: {p}", "{p}",
    ];

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var requests = new List<SimulatedRequest>();
        var ips = Enumerable.Range(0, Between(1, 3)).Select(_ => Chance(0.5) ? CloudIp() : RandomPublicIp()).ToList();
        var ua = PickFrom("OpenAI/Python 1.52.2", "OpenAI/JS 4.56.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)");
        var system = PickFrom<string?>(null, "You are a helpful assistant.", "You are ChatPal, a friendly assistant.");
        var workers = Between(2, 6);
        var target = 2600;
        var gapInConversation = 5 + Random.NextDouble() * 25;
        for (var w = 0; w < workers; w++)
        {
            var at = Context.Start + TimeSpan.FromMinutes(Between(0, 120));
            var ip = Pick(ips);
            while (at < End && requests.Count < target)
            {
                var history = new List<ChatMessage>();
                var t = at;
                var turns = 1 + Between(1, 2);
                for (var turn = 0; turn < turns && t < End; turn++)
                {
                    var prompt = Chance(0.2) ? FlanTask() : HarvestPrompt();
                    var user = turn == 0 ? prompt : Pick(Bridges).Replace("{p}", prompt, StringComparison.Ordinal);
                    var r = Request(_org, t, ip, ua, system, [.. history], user, temperature: 0.7, maxTokens: 1200);
                    requests.Add(r);
                    history.Add(User(user));
                    history.Add(ServedReply(r));
                    t += TimeSpan.FromSeconds(gapInConversation * (0.6 + 0.8 * Random.NextDouble()));
                }
                at = t + TimeSpan.FromSeconds(2 + Random.NextDouble() * 40);
            }
        }
        return InTimeOrder(requests);
    }
}
