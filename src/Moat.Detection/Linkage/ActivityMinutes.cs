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
    /// minutes both were observed: (both − expected) / (min − expected), with expected = n₁·n₂ / span, clamped to
    /// [0, 1]. Two products that are busy nearly every minute coincide by chance, not by coordination: with either idle
    /// in fewer than a quarter of the span there is no timing information and the answer is 0. Two scripts that run in
    /// the same bursts and pause together score near 1.
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
        for (var w = 0; w < Words; w++)
        {
            var a = _bits[w];
            var b = other._block[w] == _block[w] ? other._bits[w] : 0;
            both += BitOperations.PopCount(a & b);
            mine += BitOperations.PopCount(a);
            theirs += BitOperations.PopCount(b);
        }
        if (mine > 0.75 * span || theirs > 0.75 * span)
        {
            return 0;
        }
        var expected = mine * (double)theirs / span;
        var room = Math.Min(mine, theirs) - expected;
        return room < 2 ? 0 : Math.Clamp((both - expected) / room, 0, 1);
    }
}
