using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut4;

/// <summary>
/// Shared helpers of the fourth held-out population (h4- kinds), written blind to the detector and to the other
/// populations: local clocks, gradual model adoption, session building, and this population's own text generators.
/// </summary>
public abstract class HeldOut4Tenant : SimulatedTenant
{
    protected HeldOut4Tenant(string id, TenantContext context) : base(id, context)
    {
        // Honest customers switch models when an engineer gets to it: some within the hour, many not on release day.
        AdoptsNewModelAfter = Random.NextDouble() < 0.4 ? TimeSpan.FromMinutes(15 + Random.Next(0, 1100)) : null;
    }

    // ---- clocks ----

    /// <summary>Consumer activity (0..1): quiet at night, a late-morning bump and a larger evening peak.</summary>
    protected static double Consumer(double h) =>
        0.03 + 0.97 * Math.Min(1, 0.7 * Math.Exp(-Math.Pow((h - 11.5) / 3, 2)) + Math.Exp(-Math.Pow((h - 21) / 2.4, 2)));

    /// <summary>Office activity (0..1): working hours with a lunch dip, near nothing at night.</summary>
    protected static double Office(double h) =>
        h < 7.5 || h > 19.5 ? 0.015 : h < 9 || h > 17.5 ? 0.4 : h is > 12 and < 13.2 ? 0.55 : 1.0;

    /// <summary>After-school activity (0..1): students from mid-afternoon to late evening.</summary>
    protected static double AfterSchool(double h) =>
        h < 7 ? 0.01 : h < 15 ? 0.12 : h < 22.5 ? 1.0 : 0.2;

    /// <summary>Event times of a thinned Poisson process over the whole day.</summary>
    protected List<DateTimeOffset> ArrivalTimes(double peakGapSeconds, Func<DateTimeOffset, double> weight, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var times = new List<DateTimeOffset>();
        var end = to ?? End;
        var t = NextThinned(from ?? Context.Start, peakGapSeconds, weight);
        while (t < end)
        {
            times.Add(t);
            t = NextThinned(t, peakGapSeconds, weight);
        }
        return times;
    }

    /// <summary>A time-ordered stream cut at the end of the day.</summary>
    protected IEnumerable<SimulatedRequest> UntilEnd(IEnumerable<SimulatedRequest> requests) => requests.TakeWhile(r => r.Timestamp < End);

    /// <summary>The requests in time order, cut to the simulated day.</summary>
    protected IEnumerable<SimulatedRequest> Ordered(IEnumerable<SimulatedRequest> requests) =>
        requests.Where(r => r.Timestamp >= Context.Start && r.Timestamp < End).OrderBy(r => r.Timestamp);

    // ---- random helpers ----


    protected int Between(int lo, int hiInclusive) => Random.Next(lo, hiInclusive + 1);

    protected double Uniform(double lo, double hi) => lo + (hi - lo) * Random.NextDouble();


    /// <summary>A log-normally distributed count: median <paramref name="median"/>, clamped to [min, max].</summary>
    protected int LogNormalCount(double median, double sigma, int min, int max)
    {
        var u1 = 1 - Random.NextDouble();
        var u2 = Random.NextDouble();
        var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return (int)Math.Clamp(Math.Round(median * Math.Exp(sigma * z)), min, max);
    }

    /// <summary>Number of turns of a conversation: geometric with the given continuation chance.</summary>
    protected int Turns(double continueChance, int max)
    {
        var turns = 1;
        while (turns < max && Chance(continueChance))
        {
            turns++;
        }
        return turns;
    }

    // ---- prompts from the shared data ----

    /// <summary>A human-written request as typed in a chat box.</summary>
    protected string HumanAsk()
    {
        var text = Pick(Data.BenignInstructions).Text;
        return Chance(0.3) ? Casualise(text) : text;
    }

    protected string Casualise(string text) => Casualise(text, ["hey ", "hi so ", "question: ", "ok ", "can u help: "], 0.12, [" thanks", " ty", " pls", "?", " :)"]);

    /// <summary>A prompt of the kind a distiller wants answered: Alpaca instruction, seed task, GSM8K question, human request.</summary>
    protected string HarvestItem()
    {
        var roll = Random.NextDouble();
        if (roll < 0.5 && Data.AlpacaInstructions.Count > 0)
        {
            return AlpacaAsk(Pick(Data.AlpacaInstructions));
        }
        if (roll < 0.6 && Data.SeedTasks.Count > 0)
        {
            var s = Pick(Data.SeedTasks);
            return string.IsNullOrWhiteSpace(s.Input) ? s.Instruction : $"{s.Instruction}\n{s.Input}";
        }
        if (roll < 0.82 && Data.Gsm8k.Count > 0)
        {
            return Pick(Data.Gsm8k).Question;
        }
        if (roll < 0.87 && Data.HumanEval.Count > 0)
        {
            return Pick(Data.HumanEval).Prompt;
        }
        return Pick(Data.BenignInstructions).Text;
    }

    /// <summary>A follow-up a person types after reading an answer.</summary>
    protected string FollowUp() => PickFrom(
        "can you make that shorter?", "Thanks! Can you give me an example?", "why is that?", "ok and what if I'm on a tight budget",
        "Could you put that in a table?", "that's not quite what I meant, I need it for a presentation at work", "Can you explain the second point more?",
        "make it sound less formal", "translate it to Spanish please", "what would you recommend then?", "Is there a simpler way?",
        "hmm are you sure about that", "great, now write a short summary I can paste into Slack", "what are the downsides?",
        "And for a beginner?", "Can you add sources or where I can read more?", "ok thanks. one more thing: how long would that take?",
        "rewrite it as bullet points", "I tried that and it didn't work", "perfect");

    // ---- identities ----

    protected static readonly string[] ServerAgents =
    [
        "OpenAI/Python 1.54.4", "OpenAI/Python 1.58.1", "OpenAI/Python 1.59.7", "AsyncOpenAI/Python 1.57.0", "OpenAI/JS 4.73.1", "OpenAI/JS 4.77.3",
        "python-httpx/0.28.1", "Go-http-client/2.0", "okhttp/4.12.0", "axios/1.7.9",
    ];

    protected static readonly string[] BrowserAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    ];

    /// <summary>A cloud egress address (a product backend).</summary>
    protected string CloudIp() => PickFrom("3", "18", "34", "35", "52", "54", "20", "40", "104", "146") + $".{Random.Next(0, 256)}.{Random.Next(0, 256)}.{Random.Next(2, 254)}";

    /// <summary>A residential address (a person at home, or a residential proxy exit).</summary>
    protected string ResidentialIp() =>
        PickFrom("73", "76", "82", "86", "89", "92", "109", "176", "181", "187", "189", "201") + $".{Random.Next(0, 256)}.{Random.Next(0, 256)}.{Random.Next(2, 254)}";

    protected static readonly string[] FirstNames =
    [
        "Aiko", "Bram", "Carmen", "Dario", "Esther", "Femi", "Greta", "Hamza", "Ines", "Jonas", "Kaveh", "Leila", "Marek", "Noor", "Olu",
        "Paula", "Rafael", "Saoirse", "Tomasz", "Uma", "Viktor", "Wanjiru", "Yara", "Zeno", "Maya", "Theo", "Sunita", "Lars",
    ];

    protected static readonly string[] Products =
    [
        "Ledgerly", "ShipTrack", "Planwise", "Cloudnest", "PayBridge", "Roomly", "Fieldbook", "Quillstack", "Tandem HR", "Orbit CRM", "Vaultline", "Beacon POS",
    ];

    protected string Name() => Pick(FirstNames);

    protected static string Join(IEnumerable<string> lines) => string.Join("\n", lines);

    /// <summary>
    /// One conversation on one key: each user turn is sent with the history so far, the assistant turns being what the
    /// gateway served; <paramref name="gap"/> is the time the person (or program) takes before the next turn.
    /// </summary>
    protected List<SimulatedRequest> Conversation(
        SimulatedOrg org, DateTimeOffset start, string ip, string userAgent, string? system, IEnumerable<string> userTurns, Func<TimeSpan> gap,
        double? temperature = null, int? maxTokens = null, int n = 1, int keyIndex = -1, string? model = null, int keepMessages = int.MaxValue)
    {
        var requests = new List<SimulatedRequest>();
        var history = new List<ChatMessage>();
        var key = keyIndex >= 0 ? keyIndex : Random.Next(org.KeyIds.Count);
        var t = start;
        foreach (var turn in userTurns)
        {
            var sent = history.Count > keepMessages ? history.GetRange(history.Count - keepMessages, keepMessages) : history;
            var request = Request(org, t, ip, userAgent, system, [.. sent], turn, model, n, temperature, maxTokens, keyIndex: key);
            requests.Add(request);
            history.Add(new ChatMessage("user", turn));
            history.Add(ServedReply(request));
            t += gap();
        }
        return requests;
    }

    /// <summary>A short business email or message a person pastes in to have it summarised or answered.</summary>
    protected string PastedEmail()
    {
        var who = Name();
        var product = Pick(Products);
        var body = PickFrom(
            $"Hi team,\n\nFollowing up on yesterday's call with {product}: they want the renewal quote by Friday and asked whether we can keep last year's pricing if they commit to three years. Legal still has open comments on the DPA. Can someone own this?\n\nThanks,\n{who}",
            $"Hello,\n\nI ordered a standing desk (order #{Random.Next(100000, 999999)}) on the {Between(2, 28)}th and it arrived with a cracked leg. I've attached photos. I'd like a replacement part rather than a refund if possible. Please advise how to proceed.\n\nBest regards,\n{who}",
            $"Dear {Name()},\n\nThe Q{Between(1, 4)} numbers are in: revenue up {Between(2, 19)}%, churn flat, but support tickets rose {Between(10, 40)}% after the migration. I'd like to discuss staffing at Thursday's meeting. Could you prepare two options?\n\n{who}",
            $"hey, quick heads-up — the staging deploy broke the login page again, looks like the env var for the OAuth callback got overwritten. I rolled back but we need a proper fix before the demo on {PickFrom("Monday", "Tuesday", "Wednesday")}. — {who}",
            $"Dear residents,\n\nWater will be shut off on {PickFrom("Tuesday", "Thursday")} between 9:00 and 14:00 for pipe maintenance in blocks {Between(1, 9)} and {Between(10, 20)}. Please store water in advance. We apologise for the inconvenience.\n\nBuilding management");
        return body;
    }
}

/// <summary>An honest customer of the fourth held-out population.</summary>
public abstract class H4BenignTenant(string id, TenantContext context) : HeldOut4Tenant(id, context)
{
    public override bool IsAbusive => false;
}

/// <summary>A harvesting customer of the fourth held-out population (cut at 2,000 requests by the runner).</summary>
public abstract class H4AbusiveTenant(string id, TenantContext context) : HeldOut4Tenant(id, context)
{
    public override bool IsAbusive => true;

    public override int Budget => 2000;

    /// <summary>Ways a harvester asks for the reasoning behind an answer.</summary>
    protected string ReasoningAsk() => PickFrom(
        "Think step by step and show all of your reasoning before the final answer.",
        "Explain your reasoning in detail, step by step, then state the answer.",
        "Walk through your full thought process before answering.",
        "Show your work.", "Let's reason about this carefully, one step at a time.",
        "First write out your complete chain of reasoning, then give a final answer on its own line.",
        "Reason it through out loud before you commit to an answer.",
        "Put your reasoning inside <thinking></thinking> tags and the final answer after them.");
}
