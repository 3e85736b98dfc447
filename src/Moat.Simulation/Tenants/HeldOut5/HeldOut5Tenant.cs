using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut5;

/// <summary>
/// Base of the fifth held-out population: local clocks, client fingerprints, conversations that send back what the
/// gateway served, and the time-ordered emission of requests planned ahead (overlapping sessions).
/// </summary>
public abstract class HeldOut5Tenant : SimulatedTenant
{
    protected HeldOut5Tenant(string id, TenantContext context) : base(id, context)
    {
    }

    /// <summary>A consumer day at a UTC offset: quiet at night, a morning rise, a lunch bump and an evening peak (0..1).</summary>
    protected static double ConsumerDay(DateTimeOffset at, double utcOffset)
    {
        var h = LocalHour(at, utcOffset);
        return h switch
        {
            < 1 => 0.35,
            < 2 => 0.2,
            < 6 => 0.06,
            < 8 => 0.3,
            < 12 => 0.65,
            < 14 => 0.8,
            < 18 => 0.7,
            < 23 => 1.0,
            _ => 0.6,
        };
    }

    /// <summary>An office day: working hours at the offset, a lunch dip, a little late work (0..1).</summary>
    protected static double OfficeDay(DateTimeOffset at, double utcOffset)
    {
        var h = LocalHour(at, utcOffset);
        return h switch
        {
            < 7 => 0.01,
            < 8.5 => 0.25,
            < 12 => 1.0,
            < 13.5 => 0.55,
            < 17.5 => 0.95,
            < 20 => 0.25,
            _ => 0.04,
        };
    }

    /// <summary>School-age users: a little before school, most after school and in the evening.</summary>
    protected static double AfterSchool(DateTimeOffset at, double utcOffset)
    {
        var h = LocalHour(at, utcOffset);
        return h switch
        {
            < 6.5 => 0.01,
            < 8 => 0.3,
            < 15 => 0.12,
            < 18 => 0.85,
            < 21.5 => 1.0,
            < 23 => 0.3,
            _ => 0.03,
        };
    }

    /// <summary>Sorts requests planned ahead and keeps those inside the simulated day.</summary>
    protected IEnumerable<SimulatedRequest> InOrder(List<SimulatedRequest> planned)
    {
        var end = End;
        return planned.Where(r => r.Timestamp >= Context.Start && r.Timestamp < end).OrderBy(r => r.Timestamp);
    }

    /// <summary>The assistant turn for an earlier request: the text it was served (read when the follow-up is sent).</summary>
    protected static ChatMessage Served(SimulatedRequest request) => ServedReply(request, "Sorry, I couldn't answer that just now.");

    /// <summary>A history of the earlier turns of a session with what each was served.</summary>
    protected static List<ChatMessage> Continue(IReadOnlyList<ChatMessage>? history, string user, SimulatedRequest previous)
    {
        var next = history is null ? new List<ChatMessage>() : [.. history];
        next.Add(new ChatMessage("user", user));
        next.Add(Served(previous));
        return next;
    }

    /// <summary>
    /// One conversation: each turn after the first is sent <paramref name="readSeconds"/> (median) after the previous one
    /// and carries the earlier turns with what the gateway served for them.
    /// </summary>
    protected List<SimulatedRequest> Session(
        SimulatedOrg org, DateTimeOffset at, string ip, string userAgent, string? system, IReadOnlyList<string> turns, double readSeconds,
        double? temperature = null, int? maxTokens = null, int keyIndex = -1, string? model = null, IReadOnlyList<ChatMessage>? prefix = null)
    {
        var list = new List<SimulatedRequest>();
        List<ChatMessage>? history = prefix is null ? null : [.. prefix];
        SimulatedRequest? previous = null;
        string? previousUser = null;
        var key = keyIndex >= 0 ? keyIndex : Random.Next(org.KeyIds.Count);
        foreach (var turn in turns)
        {
            if (previous is not null)
            {
                history = Continue(history, previousUser!, previous);
                at += HumanGap(readSeconds) + TimeSpan.FromSeconds(3);
            }
            var request = Request(org, at, ip, userAgent, system, history, turn, model, temperature: temperature, maxTokens: maxTokens, keyIndex: key);
            list.Add(request);
            previous = request;
            previousUser = turn;
        }
        return list;
    }

    /// <summary>How many more turns a conversation gets: each further one with probability <paramref name="goOn"/>.</summary>
    protected int MoreTurns(double goOn, int max)
    {
        var n = 0;
        while (n < max && Chance(goOn))
        {
            n++;
        }
        return n;
    }

    /// <summary>
    /// The send times of <paramref name="workers"/> client loops started at <paramref name="from"/> (each a little later
    /// than the last), each waiting <paramref name="gap"/> between its requests (the model's latency and its own sleep).
    /// </summary>
    protected List<DateTimeOffset> WorkerTimes(int workers, DateTimeOffset from, Func<DateTimeOffset, TimeSpan> gap, DateTimeOffset? until = null)
    {
        var stop = until ?? End;
        var times = new List<DateTimeOffset>();
        for (var w = 0; w < workers; w++)
        {
            var at = from + TimeSpan.FromSeconds(Random.NextDouble() * 20 * (w + 1));
            while (at < stop)
            {
                times.Add(at);
                at += gap(at);
            }
        }
        times.Sort();
        return times;
    }

    /// <summary>A random instruction of the held-out data: an Alpaca instruction, a seed task or a human request.</summary>
    protected string AnyInstruction()
    {
        var roll = Random.NextDouble();
        if (roll < 0.55)
        {
            return AlpacaText(Pick(Data.AlpacaInstructions));
        }
        if (roll < 0.65 && Data.SeedTasks.Count > 0)
        {
            var seed = Pick(Data.SeedTasks);
            return string.IsNullOrWhiteSpace(seed.Input) ? seed.Instruction : $"{seed.Instruction}\n\n{seed.Input}";
        }
        return HumanAsk();
    }

    /// <summary>A UTC offset where this tenant's users live.</summary>
    protected double PickOffset() => PickFrom(-8.0, -7.0, -6.0, -5.0, -4.0, -3.0, 0.0, 1.0, 2.0, 3.0, 5.5, 7.0, 8.0, 9.0, 10.0);

    protected string MobileUserAgent() => Chance(0.55)
        ? $"Dalvik/2.1.0 (Linux; U; Android {PickFrom(12, 13, 14, 15)}; {PickFrom("SM-S918B", "Pixel 7", "Pixel 8a", "moto g54", "CPH2451", "M2101K6G")} Build/{PickFrom("UP1A", "AP2A", "TQ3A", "AP3A")}.{Random.Next(230000, 250000)})"
        : $"{PickFrom("Helpr", "Pocket", "AskMate", "Mindful")}/{Random.Next(2, 5)}.{Random.Next(0, 20)}.{Random.Next(0, 9)} CFNetwork/{PickFrom("1494.0.7", "1496.0.7", "1568.100.1")} Darwin/{PickFrom("23.4.0", "23.6.0", "24.1.0")}";

    protected string BackendUserAgent() => PickFrom(
        "OpenAI/Python 1.54.4", "OpenAI/Python 1.57.0", "AsyncOpenAI/Python 1.58.1", "OpenAI/NodeJS 4.71.1", "OpenAI/NodeJS 4.77.0",
        "langchain-openai/0.2.14 OpenAI/Python 1.55.3", "llama-index-llms-openai/0.3.12", "Go-http-client/2.0", "okhttp/4.12.0", "axios/1.7.9");

    /// <summary>A residential or mobile address: users of a consumer product come from everywhere.</summary>
    protected string HomeIp() => RandomIp(PickFrom(24, 47, 68, 73, 81, 86, 92, 98, 109, 151, 176, 188, 203), Random.Next(0, 256), Random.Next(0, 256));

    /// <summary>A cloud egress address (a product's backend).</summary>
    protected string CloudIp() => RandomIp(PickFrom(3, 13, 18, 34, 35, 52, 54, 20, 40, 104), Random.Next(0, 256), Random.Next(0, 256));

    /// <summary>An instruction of the held-out Alpaca split, without its "&lt;no input&gt;" placeholder.</summary>
    protected string AlpacaText(InstructionItem item)
    {
        var input = item.Input.Trim();
        return input.Length == 0 || input == "<no input>" ? item.Instruction : $"{item.Instruction}\n\n{input}";
    }

    /// <summary>A human-written request of the held-out split.</summary>
    protected string HumanAsk() => Pick(Data.BenignInstructions).Text;

    /// <summary>Text typed on a phone: casing and punctuation vary, sometimes a greeting or a thanks.</summary>
    protected string Typed(string text) => Casualise(text, ["hey ", "hi, ", "ok so ", "quick q: ", "hello! "], 0.15, [" thanks", " thx!", " pls", " :)"]);

    protected string Fill(string template, params string[] values)
    {
        var t = template;
        for (var i = 0; i < values.Length; i++)
        {
            t = t.Replace("{" + i + "}", values[i], StringComparison.Ordinal);
        }
        return t;
    }
}
