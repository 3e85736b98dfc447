namespace Moat.FakeUpstream.Text;

/// <summary>A tiny seeded generator whose sequence never changes across runtimes, unlike <see cref="Random"/>.</summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A value in [0, <paramref name="exclusiveMax"/>).</summary>
    public int Next(int exclusiveMax) => (int)(Next() % (ulong)exclusiveMax);

    /// <summary>A value in [<paramref name="min"/>, <paramref name="inclusiveMax"/>].</summary>
    public int Between(int min, int inclusiveMax) => min + Next(inclusiveMax - min + 1);

    /// <summary>A value in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(int percent) => Next(100) < percent;

    public T Pick<T>(T[] items) => items[Next(items.Length)];

    /// <summary>Stateless mix of two values, used to derive independent streams from one seed.</summary>
    public static ulong Mix(ulong a, ulong b) => new SplitMix64(a ^ (b * 0xD6E8FEB86659FD93UL)).Next();
}
