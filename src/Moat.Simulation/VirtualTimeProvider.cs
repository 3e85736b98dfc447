namespace Moat.Simulation;

/// <summary>A clock the simulator moves forward itself, so a simulated day takes seconds.</summary>
public sealed class VirtualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock to <paramref name="at"/>; never backwards.</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        if (at > _now)
        {
            _now = at;
        }
    }
}
