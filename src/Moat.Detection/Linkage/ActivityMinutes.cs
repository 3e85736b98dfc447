using System.Numerics;

namespace Moat.Detection.Linkage;

/// <summary>Which minutes of the last ~day an organisation was active, as a 1,536-bit ring (192 bytes).</summary>
public sealed class ActivityMinutes
{
    private const int Words = 24;
    private readonly ulong[] _bits = new ulong[Words];
    private readonly long[] _block = new long[Words];

    private long _firstMinute = -1;
    private long _lastMinute;

    public long ActiveMinutes { get; private set; }

    /// <summary>How far above chance (in Poisson standard deviations) coinciding minutes must be to count.</summary>
    public const double SignificantDeviations = 4;

    public void Mark(DateTimeOffset at)
    {
        var minute = at.ToUnixTimeSeconds() / 60;
        if (_firstMinute < 0)
        {
            _firstMinute = minute;
        }
        _lastMinute = Math.Max(_lastMinute, minute);
        var block = minute / 64;
        var word = (int)(block % Words);
        if (_block[word] != block)
        {
            _block[word] = block;
            _bits[word] = 0;
        }
        var bit = 1UL << (int)(minute % 64);
        if ((_bits[word] & bit) == 0)
        {
            _bits[word] |= bit;
            ActiveMinutes++;
        }
    }

    /// <summary>
    /// How much more the recent active minutes of two organisations coincide than chance would make them, over the
    /// minutes both were observed: (both − expected) / (min − expected), clamped to [0, 1], with chance taken within
    /// each 64-minute block (expected = Σ n₁·n₂ / 64 over the blocks): being busy in the same hours is a shared clock,
    /// not coordination, and an excess within <see cref="SignificantDeviations"/> of Poisson noise is 0. Two products
    /// that are busy nearly every minute coincide by chance: with either idle in fewer than a quarter of the span there
    /// is no timing information and the answer is 0. Two scripts that run in the same bursts and pause together score
    /// near 1.
    /// </summary>
    public double Similarity(ActivityMinutes other)
    {
        if (_firstMinute < 0 || other._firstMinute < 0)
        {
            return 0;
        }
        var span = Math.Min(Words * 64, Math.Max(_lastMinute, other._lastMinute) - Math.Max(_firstMinute, other._firstMinute) + 1);
        if (span < 8)
        {
            return 0;
        }
        long both = 0, mine = 0, theirs = 0;
        var expected = 0.0;
        for (var w = 0; w < Words; w++)
        {
            var a = _bits[w];
            var b = other._block[w] == _block[w] ? other._bits[w] : 0;
            both += BitOperations.PopCount(a & b);
            var ma = BitOperations.PopCount(a);
            var mb = BitOperations.PopCount(b);
            mine += ma;
            theirs += mb;
            // Chance within each 64-minute block: two tenants busy in the same hours (office hours, one time zone's evening)
            // coincide there without any coordination; scripts fed by one queue coincide minute by minute.
            expected += ma * (double)mb / 64;
        }
        if (mine > 0.75 * span || theirs > 0.75 * span)
        {
            return 0;
        }
        var room = Math.Min(mine, theirs) - expected;
        // Among many pairs of bursty tenants a few coincide by chance: an excess within Poisson noise
        // (fewer than four standard deviations) is no evidence.
        if (room < 2 || both - expected < SignificantDeviations * Math.Sqrt(expected + 1))
        {
            return 0;
        }
        return Math.Clamp((both - expected) / room, 0, 1);
    }
}
