namespace Moat.Detection.Signals;

/// <summary>Share of active minutes in which the organisation used ≥ 90% of its token-per-minute quota.</summary>
public sealed class QuotaSaturation
{
    public const string Name = "quota_saturation";
    private const double SaturatedShare = 0.9;

    private long _currentMinute = long.MinValue;
    private double _currentPeak;

    public long ActiveMinutes { get; private set; }
    public long SaturatedMinutes { get; private set; }

    public void Observe(DateTimeOffset at, long tokensPerMinuteLimit, long tokensRemaining)
    {
        if (tokensPerMinuteLimit <= 0)
        {
            return;
        }
        var minute = at.ToUnixTimeSeconds() / 60;
        if (minute != _currentMinute)
        {
            Close();
            _currentMinute = minute;
            _currentPeak = 0;
        }
        var used = 1 - Math.Clamp(tokensRemaining / (double)tokensPerMinuteLimit, 0, 1);
        _currentPeak = Math.Max(_currentPeak, used);
    }

    private void Close()
    {
        if (_currentMinute == long.MinValue)
        {
            return;
        }
        ActiveMinutes++;
        if (_currentPeak >= SaturatedShare)
        {
            SaturatedMinutes++;
        }
    }

    private (long Active, long Saturated) Counts =>
        _currentMinute == long.MinValue ? (0, 0) : (ActiveMinutes + 1, SaturatedMinutes + (_currentPeak >= SaturatedShare ? 1 : 0));

    /// <summary>Sustained saturation only: a few capped minutes say little.</summary>
    public double Value
    {
        get
        {
            var (active, saturated) = Counts;
            return active < 10 ? 0 : saturated / (double)active * Math.Min(1, saturated / 30.0);
        }
    }

    public SignalReading Read()
    {
        var (active, saturated) = Counts;
        return new(Name, SignalKind.Behaviour, Value, saturated, active,
            $"{saturated} of {active} active minutes used ≥ 90% of the token-per-minute quota.",
            new Dictionary<string, object> { ["active_minutes"] = active, ["saturated_minutes"] = saturated });
    }
}
