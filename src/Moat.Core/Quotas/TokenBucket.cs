namespace Moat.Core.Quotas;

/// <summary>
/// A per-minute token bucket: holds up to <c>capacity</c> units and refills continuously at capacity/60 per second,
/// the way OpenAI's limits behave. Not thread-safe; callers hold the owning state's lock.
/// </summary>
internal struct TokenBucket
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private double _level;
    private long _capacity;
    private DateTimeOffset _updatedAt;
    private bool _initialised;
    private long _preloaded;

    public readonly long Capacity => _capacity;
    public readonly double Level => _level;

    /// <summary>Brings the bucket to <paramref name="now"/> and adopts a (possibly changed) capacity.</summary>
    public void Refill(long capacity, DateTimeOffset now)
    {
        if (!_initialised)
        {
            _initialised = true;
            _capacity = capacity;
            _level = capacity;
            if (_preloaded > 0)
            {
                // Start from the read-back usage at the time it was read, then refill to now like any other bucket.
                _level = Math.Max(-capacity, capacity - _preloaded);
                _preloaded = 0;
            }
            else
            {
                _updatedAt = now;
            }
        }
        if (capacity != _capacity)
        {
            // A raised limit grants the difference now; a lowered one caps what is left.
            _level = Math.Min(capacity, _level + Math.Max(0, capacity - _capacity));
            _capacity = capacity;
        }
        var elapsed = now - _updatedAt;
        if (elapsed > TimeSpan.Zero)
        {
            _level = Math.Min(_capacity, _level + (elapsed.Ticks * (double)_capacity / Window.Ticks));
            _updatedAt = now;
        }
    }

    public readonly bool CanTake(long amount) => _level + 1e-9 >= amount;

    public void Take(long amount) => _level -= amount;

    /// <summary>Charges a refused attempt: like <see cref="Take"/>, but never below one window of debt.</summary>
    public void Charge(long amount) => _level = Math.Max(-_capacity, _level - amount);

    /// <summary>
    /// Records what was already used in the last window before this process started (read back from the ledger); the
    /// first <see cref="Refill"/>, which knows the capacity, starts from it instead of from a full bucket.
    /// </summary>
    public void Preload(long usedInWindow, DateTimeOffset at)
    {
        if (!_initialised)
        {
            _preloaded = usedInWindow;
            _updatedAt = at;
        }
    }

    /// <summary>Gives back (or, negative, charges) units after the real cost is known.</summary>
    public void Adjust(long amount) => _level = Math.Min(_capacity, _level + amount);

    public readonly long Remaining => Math.Max(0, (long)Math.Floor(_level + 1e-9));

    /// <summary>Time until <paramref name="amount"/> units are available.</summary>
    public readonly TimeSpan TimeUntil(double amount)
    {
        var missing = amount - _level;
        if (missing <= 1e-9 || _capacity <= 0)
        {
            return TimeSpan.Zero;
        }
        return TimeSpan.FromTicks((long)Math.Ceiling(missing * Window.Ticks / _capacity));
    }

    /// <summary>Time until the bucket is full again (the x-ratelimit-reset-* value).</summary>
    public readonly TimeSpan TimeUntilFull => TimeUntil(_capacity);
}
