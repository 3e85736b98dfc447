using Moat.Detection.Text;

namespace Moat.Detection.Sketches;

/// <summary>
/// A MinHash signature of word shingles: the fraction of equal positions in two signatures estimates the
/// Jaccard similarity of the shingle sets. Banded for locality-sensitive lookup.
/// </summary>
public sealed class MinHashSignature
{
    public const int Size = 64;
    public const int Bands = 16;
    public const int RowsPerBand = Size / Bands;
    private static readonly ulong[] Seeds = CreateSeeds();

    private readonly uint[] _values;

    private MinHashSignature(uint[] values) => _values = values;

    public ReadOnlySpan<uint> Values => _values;

    /// <summary>Signature of the <paramref name="shingleWidth"/>-word shingles of a token-hash sequence; null when there are no tokens.</summary>
    public static MinHashSignature? FromTokens(IReadOnlyList<ulong> tokens, int shingleWidth = 3)
    {
        if (tokens.Count == 0)
        {
            return null;
        }
        var values = new uint[Size];
        Array.Fill(values, uint.MaxValue);
        var width = Math.Min(shingleWidth, tokens.Count);
        for (var start = 0; start + width <= tokens.Count; start++)
        {
            var shingle = tokens[start];
            for (var k = 1; k < width; k++)
            {
                shingle = StableHash.Combine(shingle, tokens[start + k]);
            }
            for (var i = 0; i < Size; i++)
            {
                var h = (uint)StableHash.Mix(shingle ^ Seeds[i]);
                if (h < values[i])
                {
                    values[i] = h;
                }
            }
        }
        return new MinHashSignature(values);
    }

    public double EstimateJaccard(MinHashSignature other)
    {
        var equal = 0;
        for (var i = 0; i < Size; i++)
        {
            if (_values[i] == other._values[i])
            {
                equal++;
            }
        }
        return equal / (double)Size;
    }

    /// <summary>Hash of band <paramref name="band"/> (rows band*R .. band*R+R-1), tagged with the band index.</summary>
    public uint BandHash(int band)
    {
        var hash = (ulong)band + 1;
        for (var r = 0; r < RowsPerBand; r++)
        {
            hash = StableHash.Combine(hash, _values[band * RowsPerBand + r]);
        }
        return (uint)hash;
    }

    private static ulong[] CreateSeeds()
    {
        var seeds = new ulong[Size];
        var state = 0x5DEECE66DUL;
        for (var i = 0; i < Size; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            seeds[i] = StableHash.Mix(state);
        }
        return seeds;
    }
}
