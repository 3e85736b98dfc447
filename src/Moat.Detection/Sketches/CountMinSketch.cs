namespace Moat.Detection.Sketches;

/// <summary>Frequency estimates that never under-count, in width × depth saturating 16-bit counters.</summary>
public sealed class CountMinSketch
{
    private readonly ushort[] _counters;
    private readonly int _width;
    private readonly int _depth;

    public CountMinSketch(int width = 512, int depth = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        _width = width;
        _depth = depth;
        _counters = new ushort[width * depth];
    }

    /// <summary>Adds one occurrence and returns the estimate from before the addition.</summary>
    public int Increment(ulong hash)
    {
        var before = int.MaxValue;
        for (var row = 0; row < _depth; row++)
        {
            var slot = row * _width + Slot(hash, row);
            before = Math.Min(before, _counters[slot]);
            if (_counters[slot] < ushort.MaxValue)
            {
                _counters[slot]++;
            }
        }
        return before;
    }

    public int Estimate(ulong hash)
    {
        var estimate = int.MaxValue;
        for (var row = 0; row < _depth; row++)
        {
            estimate = Math.Min(estimate, _counters[row * _width + Slot(hash, row)]);
        }
        return estimate;
    }

    private int Slot(ulong hash, int row)
    {
        // Double hashing: row i uses h1 + i*h2, enough independence for count-min's bound.
        var h1 = (uint)hash;
        var h2 = (uint)(hash >> 32) | 1;
        return (int)((h1 + (uint)row * h2) % (uint)_width);
    }
}
