namespace Moat.Detection.Sketches;

/// <summary>Welford's online mean and variance in constant memory.</summary>
public sealed class RunningStatistics
{
    public long Count { get; private set; }
    public double Mean { get; private set; }
    private double _m2;

    public void Add(double value)
    {
        Count++;
        var delta = value - Mean;
        Mean += delta / Count;
        _m2 += delta * (value - Mean);
    }

    public double Variance => Count > 1 ? _m2 / (Count - 1) : 0;

    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>Standard deviation over mean; 1 for a Poisson process, near 0 for a metronome.</summary>
    public double CoefficientOfVariation => Mean > 0 ? StandardDeviation / Mean : 0;
}
