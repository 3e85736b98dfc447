namespace Moat.Detection.Text;

/// <summary>Process-independent 64-bit hashing (FNV-1a plus a SplitMix64 finaliser), so sketches and fingerprints are stable across runs.</summary>
public static class StableHash
{
    public const ulong Seed = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Add(ulong hash, char c) => (hash ^ c) * Prime;

    public static ulong Of(ReadOnlySpan<char> text)
    {
        var hash = Seed;
        foreach (var c in text)
        {
            hash = Add(hash, c);
        }
        return Mix(hash);
    }

    /// <summary>Case-insensitive, whitespace-trimmed hash.</summary>
    public static ulong OfNormalized(ReadOnlySpan<char> text)
    {
        var hash = Seed;
        foreach (var c in text.Trim())
        {
            hash = Add(hash, char.ToLowerInvariant(c));
        }
        return Mix(hash);
    }

    public static ulong Combine(ulong a, ulong b) => Mix(a ^ (b + 0x9E3779B97F4A7C15UL + (a << 6) + (a >> 2)));

    /// <summary>SplitMix64 finaliser: spreads FNV's weak low bits over the whole word.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
