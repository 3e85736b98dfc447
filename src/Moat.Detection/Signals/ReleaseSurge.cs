namespace Moat.Detection.Signals;

/// <summary>Traffic that jumps onto a newly released model within its first day, compared with the organisation's earlier daily rate.</summary>
public sealed class ReleaseSurge(IReadOnlyList<(string Model, DateTimeOffset ReleasedAt)> releases)
{
    public const string Name = "post_release_surge";
    private static readonly TimeSpan Window = TimeSpan.FromDays(1);
    private static readonly TimeSpan Baseline = TimeSpan.FromDays(7);

    private readonly long[] _before = new long[releases.Count];
    private readonly long[] _after = new long[releases.Count];
    private readonly DateTimeOffset?[] _firstBefore = new DateTimeOffset?[releases.Count];

    public void Observe(string model, DateTimeOffset at)
    {
        for (var i = 0; i < releases.Count; i++)
        {
            var (releasedModel, releasedAt) = releases[i];
            if (at >= releasedAt - Baseline && at < releasedAt)
            {
                _before[i]++;
                _firstBefore[i] ??= at;
            }
            else if (at >= releasedAt && at < releasedAt + Window && string.Equals(model, releasedModel, StringComparison.Ordinal))
            {
                _after[i]++;
            }
        }
    }

    private (int Release, double Ratio) Strongest()
    {
        var best = (-1, 0.0);
        for (var i = 0; i < releases.Count; i++)
        {
            if (_after[i] < 50)
            {
                continue;
            }
            // A short history is scaled up to a daily rate rather than diluted over the full week.
            var observedDays = _firstBefore[i] is { } first ? Math.Max((releases[i].ReleasedAt - first).TotalDays, 1.0 / 24) : Baseline.TotalDays;
            var baselinePerDay = Math.Max(_before[i] / Math.Min(observedDays, Baseline.TotalDays), 10);
            var ratio = _after[i] / baselinePerDay;
            if (ratio > best.Item2)
            {
                best = (i, ratio);
            }
        }
        return best;
    }

    public double Value
    {
        get
        {
            var (_, ratio) = Strongest();
            return ratio <= 1 ? 0 : Math.Clamp(Math.Log2(ratio) / 4, 0, 1);
        }
    }

    public SignalReading Read()
    {
        var (release, ratio) = Strongest();
        var evidence = release < 0
            ? "No surge onto a newly released model."
            : $"{_after[release]} requests to {releases[release].Model} within a day of its release, {ratio:F1}× the earlier daily rate ({_before[release]} in the week before).";
        return new(Name, SignalKind.Behaviour, Value, release < 0 ? 0 : _after[release], release < 0 ? 0 : _after[release] + _before[release], evidence,
            new Dictionary<string, object>
            {
                ["model"] = release < 0 ? "" : releases[release].Model,
                ["requests_after_release"] = release < 0 ? 0 : _after[release],
                ["requests_week_before"] = release < 0 ? 0 : _before[release],
                ["ratio"] = Math.Round(ratio, 2),
            });
    }
}
