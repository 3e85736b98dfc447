namespace Moat.Detection.Signals;

/// <summary>Whether a signal speaks about what is asked (content) or how it is asked (behaviour).</summary>
public enum SignalKind
{
    /// <summary>What the requests ask for; strong alone.</summary>
    Content,

    /// <summary>How the requests arrive; honest high-volume customers share some of these, so together they are capped.</summary>
    Behaviour,

    /// <summary>Evidence of honest use that lowers the score.</summary>
    Mitigating,

    /// <summary>How much was taken: the evidence every other signal is weighed against.</summary>
    Volume,
}

/// <summary>One signal's current value for an organisation or cluster, with the counts behind it.</summary>
/// <param name="Value">Strength in [0, 1].</param>
/// <param name="Hits">Requests (or minutes) that showed the pattern; additive across a cluster.</param>
/// <param name="Total">Requests (or minutes) observed; additive across a cluster.</param>
public sealed record SignalReading(
    string Name,
    SignalKind Kind,
    double Value,
    long Hits,
    long Total,
    string Evidence,
    IReadOnlyDictionary<string, object> Details);
