using Moat.Detection.Sketches;

namespace Moat.Detection.Signals;

/// <summary>Machine-regular pacing: the coefficient of variation of gaps between requests (people ≈ 1 or more, a fixed-rate loop ≈ 0).</summary>
public sealed class InterArrivalRegularity
{
    public const string Name = "machine_regular_timing";

    /// <summary>Gaps longer than this start a new session and are not pacing.</summary>
    private static readonly TimeSpan SessionGap = TimeSpan.FromMinutes(30);

    private readonly RunningStatistics _gaps = new();
    private DateTimeOffset? _last;

    public void Observe(DateTimeOffset at)
    {
        if (_last is { } last)
        {
            var gap = at - last;
            if (gap >= TimeSpan.Zero && gap < SessionGap)
            {
                _gaps.Add(gap.TotalSeconds);
            }
        }
        if (_last is null || at > _last)
        {
            _last = at;
        }
    }

    public double CoefficientOfVariation => _gaps.CoefficientOfVariation;

    public double Value => _gaps.Count < 30 ? 0 : Math.Clamp((0.6 - _gaps.CoefficientOfVariation) / 0.5, 0, 1);

    public SignalReading Read() => new(Name, SignalKind.Behaviour, Value, 0, _gaps.Count,
        $"{_gaps.Count} gaps, mean {_gaps.Mean:F1} s, coefficient of variation {_gaps.CoefficientOfVariation:F2} (people ≈ 1+, a fixed-rate loop ≈ 0).",
        new Dictionary<string, object>
        {
            ["gaps"] = _gaps.Count,
            ["mean_gap_seconds"] = Math.Round(_gaps.Mean, 3),
            ["coefficient_of_variation"] = Math.Round(_gaps.CoefficientOfVariation, 3),
        });
}
