using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants;

/// <summary>An organisation a simulated tenant controls.</summary>
public sealed record SimulatedOrg(string OrgId, IReadOnlyList<string> KeyIds, string? UseCase, bool AllowBenchmarks, long TokensPerMinute);

/// <summary>What every tenant needs: the data, the simulated day, the models and its own random stream.</summary>
public sealed record TenantContext(SimulationData Data, DateTimeOffset Start, TimeSpan Duration, DateTimeOffset ReleaseAt, int Seed)
{
    public const string CurrentModel = "moat-large-1";
    public const string NewModel = "moat-large-2";
}

/// <summary>A simulated customer: benign or abusive, one or many organisations, producing time-ordered requests.</summary>
public abstract class SimulatedTenant
{
    private int _keyCounter;

    protected SimulatedTenant(string id, TenantContext context)
    {
        Id = id;
        Context = context;
        Random = new Random(context.Seed);
    }

    public string Id { get; }
    public abstract string Kind { get; }
    public abstract bool IsAbusive { get; }

    /// <summary>Requests within which an abusive tenant must be caught (the targets: 2,000 distillers, 500 benchmark harvesters).</summary>
    public virtual int Budget => int.MaxValue;

    public IReadOnlyList<SimulatedOrg> Orgs { get; protected set; } = [];

    protected TenantContext Context { get; }
    protected Random Random { get; }
    protected SimulationData Data => Context.Data;

    /// <summary>The tenant's requests in time order; the runner stops pulling at the budget or the end of the day.</summary>
    public abstract IEnumerable<SimulatedRequest> Generate();

    protected SimulatedOrg NewOrg(int keys, long tokensPerMinute, string? useCase = null, bool allowBenchmarks = false, string suffix = "")
    {
        var orgId = $"org-{Id}{suffix}";
        var keyIds = Enumerable.Range(0, keys).Select(_ => $"key-{Id}-{_keyCounter++}").ToList();
        return new SimulatedOrg(orgId, keyIds, useCase, allowBenchmarks, tokensPerMinute);
    }

    protected SimulatedRequest Request(
        SimulatedOrg org, DateTimeOffset at, string ip, string userAgent, string? system, IReadOnlyList<ChatMessage>? history, string user,
        string? model = null, int n = 1, double? temperature = null, int? maxTokens = null, bool logprobs = false, int keyIndex = -1)
    {
        var messages = new List<ChatMessage>();
        if (system is not null)
        {
            messages.Add(new ChatMessage("system", system));
        }
        if (history is not null)
        {
            messages.AddRange(history);
        }
        messages.Add(new ChatMessage("user", user));
        var key = org.KeyIds[keyIndex >= 0 ? keyIndex % org.KeyIds.Count : Random.Next(org.KeyIds.Count)];
        return new SimulatedRequest
        {
            TenantId = Id,
            OrgId = org.OrgId,
            KeyId = key,
            ApiKey = "moat-sk-sim-" + key,
            ClientIp = ip,
            UserAgent = userAgent,
            Timestamp = at,
            TokensPerMinuteLimit = org.TokensPerMinute,
            Body = new ChatCompletionRequest
            {
                Model = model ?? ModelAt(at),
                Messages = messages,
                N = n,
                Temperature = temperature,
                MaxTokens = maxTokens,
                Logprobs = logprobs,
            },
        };
    }

    /// <summary>
    /// The assistant turn a real client sends back after <paramref name="request"/>: what it was served, or
    /// <paramref name="fallback"/> when nothing was (a refused request's conversation goes on with the client's own text).
    /// </summary>
    protected static ChatMessage ServedReply(SimulatedRequest request, string fallback = "(no answer)") =>
        new("assistant", fallback) { ReplyTo = request };

    /// <summary>Honest tenants move to a new model gradually; this default keeps them on the current one.</summary>
    /// <summary>How long after the release this tenant moves to the new model (null: it stays on the current one).</summary>
    protected TimeSpan? AdoptsNewModelAfter { get; set; }

    protected virtual string ModelAt(DateTimeOffset at) =>
        AdoptsNewModelAfter is { } delay && at >= Context.ReleaseAt + delay ? TenantContext.NewModel : TenantContext.CurrentModel;

    /// <summary>True with probability <paramref name="p"/>.</summary>
    protected bool Chance(double p) => Random.NextDouble() < p;

    protected T PickFrom<T>(params T[] items) => items[Random.Next(items.Length)];

    /// <summary>An Alpaca-style instruction, with its input when it has one.</summary>
    protected static string AlpacaAsk(InstructionItem item) =>
        string.IsNullOrWhiteSpace(item.Input) ? item.Instruction : $"{item.Instruction}\n\n{item.Input}";

    /// <summary>
    /// Text typed the way people type: sometimes lower-cased, unpunctuated, with one of <paramref name="openers"/> before
    /// it (one in five) and, with probability <paramref name="closerChance"/>, one of <paramref name="closers"/> after it.
    /// </summary>
    protected string Casualise(string text, string[] openers, double closerChance, string[] closers)
    {
        var t = text.Trim();
        if (Chance(0.5) && t.Length > 1)
        {
            t = char.ToLowerInvariant(t[0]) + t[1..];
        }
        if (Chance(0.4))
        {
            t = t.TrimEnd('.', '?', '!');
        }
        if (Chance(0.2))
        {
            t = PickFrom(openers) + t;
        }
        if (Chance(closerChance))
        {
            t += PickFrom(closers);
        }
        return t;
    }

    protected DateTimeOffset End => Context.Start + Context.Duration;

    protected T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

    /// <summary>A log-normal gap: most short, some long, like a person reading and typing (coefficient of variation ≈ 1).</summary>
    protected TimeSpan HumanGap(double medianSeconds) =>
        TimeSpan.FromSeconds(medianSeconds * Math.Exp(0.9 * Gaussian()));

    /// <summary>An exponential gap: many independent users behind one product.</summary>
    protected TimeSpan PoissonGap(double meanSeconds) => TimeSpan.FromSeconds(-meanSeconds * Math.Log(1 - Random.NextDouble()));

    /// <summary>A near-constant gap: a loop with a sleep.</summary>
    protected TimeSpan SteadyGap(double seconds, double jitter = 0.05) =>
        TimeSpan.FromSeconds(seconds * (1 + jitter * (2 * Random.NextDouble() - 1)));

    /// <summary>Hour of day (0–24) at a UTC offset.</summary>
    protected static double LocalHour(DateTimeOffset at, double utcOffsetHours)
    {
        var h = (at.UtcDateTime.TimeOfDay.TotalHours + utcOffsetHours) % 24;
        return h < 0 ? h + 24 : h;
    }

    /// <summary>Next event of a Poisson process thinned by <paramref name="weight"/> (0..1); peak mean gap <paramref name="peakGapSeconds"/>.</summary>
    protected DateTimeOffset NextThinned(DateTimeOffset at, double peakGapSeconds, Func<DateTimeOffset, double> weight)
    {
        for (var i = 0; i < 200_000; i++)
        {
            at += PoissonGap(peakGapSeconds);
            if (Random.NextDouble() < weight(at))
            {
                return at;
            }
        }
        return at;
    }

    protected DateTimeOffset RandomTimeWithin(DateTimeOffset from, DateTimeOffset to) =>
        from + TimeSpan.FromSeconds(Random.NextDouble() * Math.Max(0, (to - from).TotalSeconds));

    /// <summary>A random time within [from, to) drawn in proportion to <paramref name="weight"/> (0..1; rejection sampling).</summary>
    protected DateTimeOffset RandomTimeWhen(DateTimeOffset from, DateTimeOffset to, Func<DateTimeOffset, double> weight)
    {
        DateTimeOffset at;
        do
        {
            at = RandomTimeWithin(from, to);
        }
        while (!Chance(weight(at)));
        return at;
    }

    protected string RandomIp(int a, int b, int c) => $"{a}.{b}.{c}.{Random.Next(2, 254)}";

    protected string RandomPublicIp() => RandomIp(Random.Next(11, 223), Random.Next(0, 256), Random.Next(0, 256));

    private double Gaussian()
    {
        var u1 = 1 - Random.NextDouble();
        var u2 = Random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    protected static readonly string[] SdkUserAgents =
    [
        "OpenAI/Python 1.40.0", "OpenAI/Python 1.52.2", "OpenAI/JS 4.56.0", "python-requests/2.32.3",
        "python-httpx/0.27.0", "curl/8.5.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)",
    ];
}
