namespace Moat.Detection.Signals;

/// <summary>Counts requests that carry one content cue (instruction generation, reasoning elicitation) for an organisation.</summary>
public sealed class ContentEvidence(string name, double baseRate, double fullRate, double scale, string description)
{
    public string Name { get; } = name;
    public double BaseRate { get; } = baseRate;
    public double FullRate { get; } = fullRate;
    public double Scale { get; } = scale;
    public long Hits { get; private set; }
    public long Total { get; private set; }
    private double _scoreSum;

    public void Observe(double cueScore, double hitThreshold)
    {
        Total++;
        if (cueScore >= hitThreshold)
        {
            Hits++;
            _scoreSum += cueScore;
        }
    }

    public double Value => ExcessEvidence.Strength(Hits, Total, BaseRate, FullRate, Scale);

    public SignalReading Read() => new(
        Name,
        SignalKind.Content,
        Value,
        Hits,
        Total,
        $"{Hits} of {Total} requests {description} (honest base rate ≈ {BaseRate:P0}).",
        new Dictionary<string, object>
        {
            ["hits"] = Hits,
            ["requests"] = Total,
            ["rate"] = Total == 0 ? 0 : Math.Round(Hits / (double)Total, 4),
            ["mean_cue_score"] = Hits == 0 ? 0 : Math.Round(_scoreSum / Hits, 3),
        });
}
