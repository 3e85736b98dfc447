using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>
/// Shared plumbing of the held-out tenants: the text generators, client identities, and pacing beyond the base class
/// (a day/night activity curve for human-facing products, bursts and long pauses), plus an ordinary multi-turn conversation.
/// </summary>
public abstract class HeldOutTenant : SimulatedTenant
{
    protected HeldOutTenant(string id, TenantContext context) : base(id, context)
    {
        Text = new HeldOutText(Random, context.Data);
        UtcOffsetHours = Random.Next(-8, 10);
    }

    protected HeldOutText Text { get; }

    /// <summary>The customer's local time zone (drives the day/night activity curve).</summary>
    protected int UtcOffsetHours { get; }

    private static readonly string[] CustomAgents =
    [
        "OpenAI/Python 1.58.1", "OpenAI/Python 1.61.0", "OpenAI/NodeJS 4.77.0", "openai-dotnet/2.1.0", "langchain-openai/0.2.14", "axios/1.7.9", "Go-http-client/2.0",
        "okhttp/4.12.0", "aiohttp/3.11.11", "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0",
    ];

    /// <summary>A client user agent: an SDK or library string, sometimes a browser.</summary>
    protected string ClientAgent() => Random.NextDouble() < 0.4 ? Pick(SdkUserAgents) : Pick(CustomAgents);

    protected string IpInRange(string prefix) => prefix + Random.Next(2, 254);

    protected string RandomPrefix() => $"{Random.Next(11, 223)}.{Random.Next(256)}.{Random.Next(256)}.";

    /// <summary>How busy a human-facing product is at this hour of the customer's day: 1 in the afternoon, ~0.08 at 4am.</summary>
    protected double Activity(DateTimeOffset at)
    {
        var hour = ((at.UtcDateTime.Hour + at.UtcDateTime.Minute / 60.0 + UtcOffsetHours) % 24 + 24) % 24;
        return 0.08 + 0.92 * Math.Pow(Math.Max(0, Math.Sin(Math.PI * (hour - 6) / 17)), 1.5);
    }

    /// <summary>Poisson arrivals of many users thinned by the time of day (overnight gaps for products with human users).</summary>
    protected TimeSpan DiurnalGap(DateTimeOffset at, double meanSeconds) => PoissonGap(meanSeconds / Activity(at));

    /// <summary>An exponential gap that now and then turns into a long pause (a coffee break, a meeting, a night).</summary>
    protected TimeSpan GapWithPauses(double meanSeconds, double pauseChance, double pauseMeanMinutes) =>
        Random.NextDouble() < pauseChance ? PoissonGap(pauseMeanMinutes * 60) : PoissonGap(meanSeconds);

    /// <summary>A start time within the first <paramref name="hours"/> of the day.</summary>
    protected DateTimeOffset StartWithin(double hours) => Context.Start + TimeSpan.FromHours(Random.NextDouble() * hours);

    /// <summary>One multi-turn conversation of a person: an opening, then follow-ups with the earlier turns as history.</summary>
    protected IEnumerable<SimulatedRequest> Conversation(
        SimulatedOrg org, DateTimeOffset at, string ip, string userAgent, string? system, string opening, int turns, Func<string> followUp,
        double medianGapSeconds = 35, double? temperature = 0.7, int? maxTokens = null, string? model = null)
    {
        var history = new List<ChatMessage>();
        var user = opening;
        for (var t = 0; t < turns && at < End; t++)
        {
            var request = Request(org, at, ip, userAgent, system, [.. history], user, model: model, temperature: temperature, maxTokens: maxTokens);
            yield return request;
            history.Add(new ChatMessage("user", user));
            history.Add(ServedReply(request));
            user = followUp();
            at += HumanGap(medianGapSeconds);
        }
    }
    /// <summary>Ordinary chat use between two instants: conversations arriving with day/night pacing.</summary>
    protected IEnumerable<SimulatedRequest> OrdinaryUse(
        SimulatedOrg org, DateTimeOffset from, DateTimeOffset until, double meanGapSeconds, string ip, string userAgent, string? system = null, string? model = null)
    {
        var at = from + DiurnalGap(from, meanGapSeconds);
        while (at < until && at < End)
        {
            foreach (var request in Conversation(org, at, ip, userAgent, system, Text.Ordinary(), 1 + Random.Next(4), Text.FollowUp, model: model))
            {
                yield return request;
                at = request.Timestamp;
            }
            at += DiurnalGap(at, meanGapSeconds);
        }
    }
    /// <summary>Overlapping sessions of many end users behind one product, merged into time order and cut at the end of the day.</summary>
    protected IEnumerable<SimulatedRequest> InTimeOrder(IEnumerable<SimulatedRequest> requests) =>
        requests.Where(r => r.Timestamp >= Context.Start && r.Timestamp < End).OrderBy(r => r.Timestamp).ToList();
}
