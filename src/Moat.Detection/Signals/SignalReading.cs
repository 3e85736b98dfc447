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

/// <summary>Turns "h of n requests matched" into a strength that needs both volume and rate beyond what honest traffic shows.</summary>
public static class ExcessEvidence
{
    /// <summary>
    /// Hits beyond the honest base rate plus two standard deviations, mapped to [0, 1) with scale
    /// <paramref name="scale"/> (hits of excess that give 63%). A person who asks a few such questions stays near 0.
    /// </summary>
    public static double Strength(long hits, long total, double baseRate, double scale)
    {
        if (hits <= 0 || total <= 0)
        {
            return 0;
        }
        var expected = baseRate * total;
        var excess = hits - expected - 2 * Math.Sqrt(expected * (1 - baseRate)) - 1;
        return excess <= 0 ? 0 : 1 - Math.Exp(-excess / scale);
    }
}
