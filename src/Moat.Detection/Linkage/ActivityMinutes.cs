using System.Numerics;

namespace Moat.Detection.Linkage;

/// <summary>Which minutes of the last ~day an organisation was active, as a 1,536-bit ring (192 bytes).</summary>
public sealed class ActivityMinutes
{
    private const int Words = 24;
    private readonly ulong[] _bits = new ulong[Words];
    private readonly long[] _block = new long[Words];

    public long ActiveMinutes { get; private set; }

    public void Mark(DateTimeOffset at)
    {
        var minute = at.ToUnixTimeSeconds() / 60;
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

    /// <summary>Jaccard similarity of the recent active minutes of two organisations.</summary>
    public double Similarity(ActivityMinutes other)
    {
        long both = 0, either = 0;
        for (var w = 0; w < Words; w++)
        {
            var a = _bits[w];
            var b = other._block[w] == _block[w] ? other._bits[w] : 0;
            both += BitOperations.PopCount(a & b);
            either += BitOperations.PopCount(a | b);
        }
        return either == 0 ? 0 : both / (double)either;
    }
}
