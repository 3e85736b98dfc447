using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Moat.FakeUpstream.Text;

/// <summary>Deterministic unit vectors derived from a hash of the input, so equal texts embed equally.</summary>
internal static class EmbeddingVectors
{
    public static void Fill(ReadOnlySpan<char> text, Span<float> vector) =>
        Fill(XxHash64.HashToUInt64(MemoryMarshal.AsBytes(text)), vector);

    public static void Fill(ReadOnlySpan<int> tokenIds, Span<float> vector) =>
        Fill(XxHash64.HashToUInt64(MemoryMarshal.AsBytes(tokenIds), seed: 1), vector);

    private static void Fill(ulong seed, Span<float> vector)
    {
        var rng = new SplitMix64(seed);
        var sumOfSquares = 0.0;
        for (var i = 0; i < vector.Length; i++)
        {
            var value = (float)((rng.NextDouble() * 2) - 1);
            vector[i] = value;
            sumOfSquares += value * value;
        }

        // All-zero is practically impossible, but a unit vector is the contract.
        if (sumOfSquares == 0)
        {
            vector[0] = 1;
            return;
        }

        var scale = (float)(1 / Math.Sqrt(sumOfSquares));
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] *= scale;
        }
    }
}
