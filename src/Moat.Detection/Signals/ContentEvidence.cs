namespace Moat.Detection.Signals;

/// <summary>
/// Requests that carry one content cue (instruction generation, reasoning elicitation) for an organisation, as counts
/// that decay with the evidence half-life. The value is how far the cue's share of the traffic exceeds what honest
/// traffic shows; on its own it can never take an organisation past warn (<see cref="Scoring.RiskModel"/>): a cue says
/// what kind of output was taken, the volume of what was taken is <see cref="ExtractionVolume"/>.
/// </summary>
public sealed class ContentEvidence(string name, double baseRate, double fullRate, string description)
{
    /// <summary>Hits below this say nothing about a tenant, whatever the share.</summary>
    public const double MinimumHits = 8;

    public string Name { get; } = name;
    public double BaseRate { get; } = baseRate;
    public double FullRate { get; } = fullRate;

    /// <summary>Decayed count of requests with the cue.</summary>
    public double Hits { get; private set; }

    /// <summary>Decayed count of requests.</summary>
    public double Total { get; private set; }

    /// <summary>Requests with the cue since the organisation was first seen (not decayed; for the evidence text).</summary>
    public long AllTimeHits { get; private set; }

    private double _scoreSum;

    public void Decay(double factor)
    {
        Hits *= factor;
        Total *= factor;
    }

    public bool Observe(double cueScore, double hitThreshold)
    {
        Total++;
        if (cueScore < hitThreshold)
        {
            return false;
        }
        Hits++;
        AllTimeHits++;
        _scoreSum += cueScore;
        return true;
    }

    public double Value => Strength(Hits, Total, BaseRate, FullRate);

    /// <summary>Share above the honest base rate, towards <paramref name="fullRate"/>, once there are enough hits.</summary>
    public static double Strength(double hits, double total, double baseRate, double fullRate)
    {
        if (hits <= 0 || total <= 0)
        {
            return 0;
        }
        var share = Math.Clamp((hits / total - baseRate) / (fullRate - baseRate), 0, 1);
        return share * Math.Min(1, hits / MinimumHits);
    }

    internal void Restore(double hits, double total, long allTime)
    {
        Hits = hits;
        Total = total;
        AllTimeHits = allTime;
    }

    public SignalReading Read() => new(
        Name,
        SignalKind.Content,
        Value,
        (long)Math.Round(Hits),
        (long)Math.Round(Total),
        $"{Hits:F0} of {Total:F0} recent requests (decayed) {description}; {AllTimeHits} in all (honest base rate ≈ {BaseRate:P0}).",
        new Dictionary<string, object>
        {
            ["hits"] = Math.Round(Hits, 1),
            ["requests"] = Math.Round(Total, 1),
            ["all_time_hits"] = AllTimeHits,
            ["rate"] = Total <= 0 ? 0 : Math.Round(Hits / Total, 4),
            ["mean_cue_score"] = AllTimeHits == 0 ? 0 : Math.Round(_scoreSum / AllTimeHits, 3),
        });
}
