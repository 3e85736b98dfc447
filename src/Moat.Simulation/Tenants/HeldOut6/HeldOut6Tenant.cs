using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// Base of the sixth held-out population (prefix <c>h6-</c>), written blind to the detector and to the other populations
/// from public descriptions of real products and real distillation campaigns. Each tenant builds its whole day (sessions may
/// overlap), then yields it in time order, clipped to the simulated day. It also keeps its own bookkeeping of which requests
/// are harvest requests, so a test can check the abusive share a blended kind claims.
/// </summary>
public abstract class HeldOut6Tenant : SimulatedTenant
{
    private readonly HashSet<SimulatedRequest> _harvest = new(ReferenceEqualityComparer.Instance);

    protected HeldOut6Tenant(string id, TenantContext context)
        : base(id, context)
    {
    }

    /// <summary>The share of this tenant's requests meant to be harvest requests (percent): 0 benign, 100 a pure harvester.</summary>
    public virtual int IntendedHarvestPercent => IsAbusive ? 100 : 0;

    /// <summary>True when <paramref name="request"/> is one of this tenant's harvest requests (its own bookkeeping).</summary>
    public bool IsHarvest(SimulatedRequest request) => _harvest.Contains(request);

    public sealed override IEnumerable<SimulatedRequest> Generate()
    {
        var all = new List<SimulatedRequest>();
        Build(all);
        // OrderBy is stable: turns generated in order at the same instant keep their order.
        foreach (var request in all.Where(r => r.Timestamp >= Context.Start && r.Timestamp < End).OrderBy(r => r.Timestamp))
        {
            yield return request;
        }
    }

    /// <summary>Adds the tenant's requests for the day (any order; the base sorts and clips them).</summary>
    protected abstract void Build(List<SimulatedRequest> requests);

    /// <summary>Records <paramref name="request"/> as a harvest request and returns it.</summary>
    protected SimulatedRequest Harvest(SimulatedRequest request)
    {
        _harvest.Add(request);
        return request;
    }

    /// <summary>
    /// A conversation: each user turn after the first carries the earlier turns, with the assistant turns the gateway served.
    /// The same key and IP throughout. Returns the requests in order.
    /// </summary>
    protected List<SimulatedRequest> Conversation(
        SimulatedOrg org, DateTimeOffset at, string ip, string userAgent, string? system, IReadOnlyList<string> userTurns,
        Func<TimeSpan> gap, double? temperature, int? maxTokens, int keyIndex, string? model = null, int n = 1, bool logprobs = false,
        IReadOnlyList<ChatMessage>? prefix = null)
    {
        var result = new List<SimulatedRequest>();
        var history = new List<ChatMessage>(prefix ?? []);
        for (var i = 0; i < userTurns.Count; i++)
        {
            if (i > 0)
            {
                history.Add(new ChatMessage("user", userTurns[i - 1]));
                history.Add(ServedReply(result[^1], "Sorry, something went wrong. Please try again."));
                at += gap();
            }
            result.Add(Request(org, at, ip, userAgent, system, history.Count == 0 ? null : history, userTurns[i], model, n, temperature,
                maxTokens, logprobs, keyIndex));
        }
        return result;
    }

    /// <summary>Office hours at a UTC offset: near zero at night, a lunch dip, quieter at weekends.</summary>
    protected static double OfficeWeight(DateTimeOffset at, double utcOffset)
    {
        var local = at.UtcDateTime.AddHours(utcOffset);
        var h = local.TimeOfDay.TotalHours;
        var w = h switch
        {
            < 7 => 0.01,
            < 8.5 => 0.25,
            < 12 => 1.0,
            < 13.5 => 0.55,
            < 17.5 => 0.95,
            < 19.5 => 0.3,
            _ => 0.04,
        };
        return local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? w * 0.12 : w;
    }

    /// <summary>Consumer traffic at a UTC offset: a quiet night, a morning rise, a lunch bump and an evening peak.</summary>
    protected static double ConsumerWeight(DateTimeOffset at, double utcOffset)
    {
        var h = LocalHour(at, utcOffset);
        return h switch
        {
            < 1 => 0.45,
            < 5 => 0.1,
            < 7 => 0.2,
            < 9 => 0.5,
            < 12 => 0.7,
            < 14 => 0.85,
            < 18 => 0.7,
            < 23 => 1.0,
            _ => 0.7,
        };
    }

    /// <summary>After-school hours (students at home) at a UTC offset.</summary>
    protected static double HomeworkWeight(DateTimeOffset at, double utcOffset)
    {
        var h = LocalHour(at, utcOffset);
        return h switch
        {
            < 6 => 0.02,
            < 8 => 0.15,
            < 15 => 0.25,
            < 17 => 0.7,
            < 22 => 1.0,
            < 23.5 => 0.4,
            _ => 0.08,
        };
    }

    /// <summary>A fixed set of <paramref name="count"/> public addresses (a backend's egress, an office's NAT).</summary>
    protected List<string> FixedIps(int count)
    {
        var a = Random.Next(11, 223);
        var b = Random.Next(0, 256);
        var c = Random.Next(0, 256);
        return Enumerable.Range(0, count).Select(_ => RandomIp(a, b, c)).ToList();
    }

    /// <summary>The first few sentences of <paramref name="text"/> (what a product would paste or a vendor would send).</summary>
    protected static List<string> Sentences(string text) =>
        text.Split(['.', '!', '?', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s.Length > 12).Select(s => s + ".").ToList();

    protected static string Fill(string template, params object[] args) => string.Format(System.Globalization.CultureInfo.InvariantCulture, template, args);

    /// <summary>Abusive kinds stop at 2,000 requests (pure benchmark harvesters override it with 500).</summary>
    public override int Budget => IsAbusive ? 2000 : int.MaxValue;

    /// <summary>
    /// One task of a distiller's capability coverage set: an Alpaca-style instruction (with its input), a self-instruct seed
    /// task, a grade-school word problem, a coding task or a human-written request, as a harvest script would draw them.
    /// </summary>
    protected string CapabilityTask()
    {
        var roll = Random.NextDouble();
        if (roll < 0.35)
        {
            return Ask(Pick(Data.AlpacaInstructions));
        }
        if (roll < 0.45)
        {
            var seed = Pick(Data.SeedTasks);
            return string.IsNullOrWhiteSpace(seed.Input) ? seed.Instruction : $"{seed.Instruction}\n\n{seed.Input}";
        }
        if (roll < 0.65)
        {
            return Pick(Data.Gsm8k).Question;
        }
        if (roll < 0.8)
        {
            return $"Write a {Pick(Phrases.CodeLanguages)} function that {Pick(Phrases.CodeTasks)}. Include error handling and explain the design.";
        }
        return Pick(Data.BenignInstructions).Text;
    }

    /// <summary>An Alpaca-style instruction with its input, treating Alpaca's "&lt;no input&gt;" placeholders as no input.</summary>
    protected static string Ask(InstructionItem item) =>
        item.Input.Trim() is "" or "<no input>" or "<noinput>" or "<No input>" ? item.Instruction : $"{item.Instruction}\n\n{item.Input}";

    /// <summary>A task not sent before, when one can be found in a few draws (a work queue drawing without replacement).</summary>
    protected string FreshTask(HashSet<string> sent, Func<string>? draw = null)
    {
        draw ??= CapabilityTask;
        var task = draw();
        for (var i = 0; i < 6 && !sent.Add(task); i++)
        {
            task = draw();
        }
        return task;
    }

    protected static readonly string[] BackendAgents =
    [
        "OpenAI/Python 1.51.2", "OpenAI/Python 1.54.4", "AsyncOpenAI/Python 1.55.3", "OpenAI/Python 1.58.1", "AsyncOpenAI/Python 1.61.0",
        "OpenAI/JS 4.67.3", "OpenAI/JS 4.73.1", "OpenAI/JS 4.77.0",
    ];
}
