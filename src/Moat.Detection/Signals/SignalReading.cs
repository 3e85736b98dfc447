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
    /// <paramref name="scale"/> (hits of excess that give 63%), times how far the rate is from the base rate towards
    /// <paramref name="fullRate"/>. Both are needed: a person who asks a few such questions has no volume, and an
    /// honest high-volume tenant whose rate is only slightly above the base rate would otherwise accumulate excess forever.
    /// </summary>
    public static double Strength(long hits, long total, double baseRate, double fullRate, double scale)
    {
        if (hits <= 0 || total <= 0)
        {
            return 0;
        }
        var expected = baseRate * total;
        var excess = hits - expected - 2 * Math.Sqrt(expected * (1 - baseRate)) - 1;
        if (excess <= 0)
        {
            return 0;
        }
        var rateFactor = Math.Clamp((hits / (double)total - baseRate) / (fullRate - baseRate), 0, 1);
        return (1 - Math.Exp(-excess / scale)) * rateFactor;
    }
}
