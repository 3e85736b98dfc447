using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut3;

/// <summary>
/// A consumer assistant app: many end users behind the vendor's backend, short chats (1–4 turns), strongly diurnal, a
/// product system prompt with the user's locale and date, streaming-era mobile backend clients.
/// </summary>
public sealed class H3PersonalAssistantAppTenant : HeldOut3Tenant
{
    private readonly SimulatedOrg _org;
    private readonly double _utcOffset;
    private readonly double _peakGap;
    private readonly string _appName;

    public H3PersonalAssistantAppTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 3), 400_000, useCase: Chance(0.8) ? "chatbot" : null);
        Orgs = [_org];
        _utcOffset = PickFrom(-8, -5, -3, 0, 1, 2, 5.5, 8, 9);
        _peakGap = 60 + Random.NextDouble() * 240;
        _appName = PickFrom("Pocket Pal", "Mira", "DayMate", "Ask Juniper", "Nudge", "Sprout Assistant");
    }

    public override string Kind => "h3-personal-assistant-app";
    public override bool IsAbusive => false;

    private static readonly string[] Everyday =
    [
        "remind me what to pack for a weekend in {city}", "what can I cook with eggs, spinach and feta", "how long do I boil an egg for a runny yolk",
        "is it rude to decline a wedding invite by text", "give me a 20 minute bodyweight workout", "write a short birthday message for my sister",
        "what's a polite way to ask my landlord to fix the heating", "ideas for a rainy day with two kids in {city}", "how do I get red wine out of a carpet",
        "summarise the plot of pride and prejudice in 3 lines", "translate 'where is the train station' into Portuguese", "how many cups is 500 ml",
        "help me plan meals for the week on a budget", "suggest a name for a grey kitten", "what's the difference between a cold and the flu",
        "write a text to cancel dinner tonight without sounding flaky", "is 7 hours of sleep enough", "recommend 3 podcasts about history",
        "how do I politely say no to extra work", "what should I ask at a parents evening", "explain compound interest like I'm 12",
    ];

    private static readonly string[] FollowUps =
    [
        "shorter please", "can you make it funnier", "thanks! and what about {city}?", "ok but I don't have an oven", "more casual", "in bullet points",
        "what if it's for 4 people", "can you give me another one", "perfect, thank you", "hmm not quite, try again", "why?", "and in Spanish?",
    ];

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var requests = new List<SimulatedRequest>();
        var at = Context.Start;
        var backendIps = Enumerable.Range(0, Between(2, 4)).Select(_ => RandomIp(34, Between(0, 255), Between(0, 255))).ToList();
        var ua = PickFrom("OpenAI/JS 4.56.0", "OpenAI/Python 1.52.2", $"{_appName.Replace(" ", "", StringComparison.Ordinal)}-backend/3.{Between(0, 9)}");
        while (true)
        {
            at = NextThinned(at, _peakGap, t => Diurnal(LocalHour(t, _utcOffset)));
            if (at >= End)
            {
                break;
            }
            var city = Pick(Cities);
            var system = $"You are {_appName}, a friendly personal assistant in a mobile app. Be concise. The user's locale is {PickFrom("en-US", "en-GB", "en-IN", "en-AU")}. Today is {at:dddd d MMMM yyyy}.";
            var history = new List<ChatMessage>();
            var turns = Chance(0.55) ? 1 : Between(2, 4);
            var t = at;
            for (var turn = 0; turn < turns && t < End; turn++)
            {
                var user = turn == 0
                    ? (Chance(0.6) ? Casualise(Pick(Everyday).Replace("{city}", city, StringComparison.Ordinal)) : HumanAsk())
                    : Pick(FollowUps).Replace("{city}", Pick(Cities), StringComparison.Ordinal);
                var r = Request(_org, t, Pick(backendIps), ua, system, [.. history], user, temperature: 0.7, maxTokens: Chance(0.5) ? 512 : 800);
                requests.Add(r);
                history.Add(User(user));
                history.Add(ServedReply(r));
                t += HumanGap(25);
            }
        }
        return InTimeOrder(requests);
    }
}

/// <summary>
/// A game studio's NPC dialogue: one fixed persona system prompt per character (a few characters), many players, each a
/// multi-turn conversation of short in-character lines; evening-heavy, high temperature, small max_tokens.
/// </summary>
public sealed class H3GameNpcTenant : HeldOut3Tenant
{
    private readonly SimulatedOrg _org;
    private readonly double _utcOffset;
    private readonly double _peakGap;
    private readonly string[] _personas;

    public H3GameNpcTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 2), 300_000, useCase: PickFrom("chatbot", "other", null));
        Orgs = [_org];
        _utcOffset = PickFrom(-5, 0, 1, 8, 9);
        _peakGap = 40 + Random.NextDouble() * 200;
        var world = PickFrom("Emberfall", "the Saltmarsh Reach", "Hollowmere", "New Cassia Station");
        _personas =
        [
            $"You are Brannoc, the gruff blacksmith of {world}. Speak in short sentences, never break character, never mention being an AI. You know about weapons, the mine to the north, and the missing caravan. Keep answers under 60 words.",
            $"You are Sister Ilse, healer at the chapel of {world}. You are kind but secretive about the crypt. Stay in character. Answer in at most three sentences.",
            $"You are Vex, a smuggler in the docks of {world}. Sarcastic, greedy, speaks in slang. Offer quests involving contraband. Never reveal the harbourmaster's secret unless the player shows the silver token.",
        ];
    }

    public override string Kind => "h3-game-npc";
    public override bool IsAbusive => false;

    private static readonly string[] PlayerLines =
    [
        "hello", "who are you", "got any work for me?", "what happened to the caravan", "can you fix my sword", "how much for a shield",
        "I have the silver token", "tell me about the crypt", "where is the mine", "lol you're weird", "i need healing", "any rumours?",
        "what do you know about the harbourmaster", "I killed the wolves", "give me a discount", "bye", "can I trust you?", "who runs this town",
        "show me your wares", "i found this strange amulet", "do you sell potions", "what's north of here", "are you hiding something",
    ];

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var requests = new List<SimulatedRequest>();
        var at = Context.Start;
        var ip = RandomIp(35, Between(180, 230), Between(0, 255));
        var ua = PickFrom("UnrealEngine-NPCService/5.4", "python-httpx/0.27.0", "OpenAI/JS 4.56.0");
        while (true)
        {
            at = NextThinned(at, _peakGap, t => Diurnal(LocalHour(t, _utcOffset), eveningWeight: 1.4));
            if (at >= End)
            {
                break;
            }
            var persona = Pick(_personas);
            var history = new List<ChatMessage>();
            var turns = Between(2, 10);
            var t = at;
            for (var turn = 0; turn < turns && t < End; turn++)
            {
                var line = Pick(PlayerLines);
                if (Chance(0.3))
                {
                    line = Casualise(line);
                }
                // The game trims the history to its context window.
                var window = history.Count > 12 ? history[^12..] : history;
                var r = Request(_org, t, ip, ua, persona, [.. window], line, temperature: 0.9, maxTokens: 120);
                requests.Add(r);
                history.Add(User(line));
                history.Add(ServedReply(r, "*grunts*"));
                t += HumanGap(12);
            }
        }
        return InTimeOrder(requests);
    }
}

/// <summary>
/// A tutoring marketplace: students send maths and physics problems (GSM8K-style word problems and generated physics),
/// a share as one-question sessions, others with follow-ups on the served steps; after-school peak; some ask for steps.
/// </summary>
public sealed class H3TutoringMarketplaceTenant : HeldOut3Tenant
{
    private readonly SimulatedOrg _org;
    private readonly double _utcOffset;
    private readonly double _peakGap;
    private readonly double _singleShare;

    public H3TutoringMarketplaceTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 3), 250_000, useCase: PickFrom("chatbot", "other", null, "research"));
        Orgs = [_org];
        _utcOffset = PickFrom(-5, -6, 0, 1, 5.5, 8);
        _peakGap = 90 + Random.NextDouble() * 300;
        _singleShare = 0.3 + Random.NextDouble() * 0.4;
    }

    public override string Kind => "h3-tutoring-marketplace";
    public override bool IsAbusive => false;

    private static readonly string[] FollowUps =
    [
        "why do you divide there?", "i got {n}, where did i go wrong", "can you explain the second step again", "is there a faster way?",
        "what formula is that", "ok and if the numbers were different?", "thank you!!", "I still don't get it", "can you check my answer: {n}",
        "what units should the answer be in", "can you give me a similar one to practise",
    ];

    private string PhysicsProblem()
    {
        var m = Between(2, 60);
        var v = Between(2, 30);
        var h = Between(2, 80);
        return PickFrom(
            $"A ball of mass {m / 10.0:0.0} kg is dropped from a height of {h} m. Ignoring air resistance, how fast is it going when it hits the ground?",
            $"A {m * 10} kg car travelling at {v} m/s brakes to a stop in {Between(2, 9)} s. What is the average braking force?",
            $"A resistor of {Between(2, 50)} ohms is connected to a {Between(3, 24)} V battery. What current flows and what power is dissipated?",
            $"A spring with k = {Between(50, 500)} N/m is compressed by {Between(2, 20)} cm. How much energy is stored?",
            $"A wave has frequency {Between(100, 900)} Hz and wavelength {Between(10, 300)} cm. What is its speed?",
            $"A projectile is launched at {v} m/s at {PickFrom(30, 45, 60)} degrees. How far does it travel on flat ground?");
    }

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var requests = new List<SimulatedRequest>();
        var at = Context.Start;
        var ips = Enumerable.Range(0, 2).Select(_ => RandomIp(52, Between(0, 255), Between(0, 255))).ToList();
        var ua = PickFrom("OpenAI/Python 1.40.0", "OpenAI/Python 1.52.2", "python-requests/2.32.3");
        var system = PickFrom(
            "You are a patient tutor for secondary-school students. Guide them towards the answer, show working clearly, and check understanding.",
            "You are a maths and physics tutor. Explain concepts simply and encourage the student. Use LaTeX for formulas.",
            "You help students with homework. Do not just give the answer: explain the method. Keep a friendly tone.");
        while (true)
        {
            at = NextThinned(at, _peakGap, t => Diurnal(LocalHour(t, _utcOffset), eveningWeight: 1.6));
            if (at >= End)
            {
                break;
            }
            var problem = Chance(0.6) && Data.Gsm8k.Count > 0 ? Pick(Data.Gsm8k).Question : PhysicsProblem();
            var opener = Random.NextDouble() switch
            {
                < 0.25 => problem,
                < 0.45 => $"{problem}\nCan you solve this step by step?",
                < 0.6 => $"help with this pls: {problem}",
                < 0.75 => $"{problem} I think the answer is {Between(3, 400)} but not sure",
                _ => $"My homework question: {problem}",
            };
            var turns = Chance(_singleShare) ? 1 : Between(2, 5);
            var history = new List<ChatMessage>();
            var t = at;
            var user = opener;
            for (var turn = 0; turn < turns && t < End; turn++)
            {
                var r = Request(_org, t, Pick(ips), ua, system, [.. history], user, temperature: 0.4, maxTokens: 900);
                requests.Add(r);
                history.Add(User(user));
                history.Add(ServedReply(r));
                t += HumanGap(70);
                user = Pick(FollowUps).Replace("{n}", Between(2, 300).ToString(), StringComparison.Ordinal);
            }
        }
        return InTimeOrder(requests);
    }
}
