using System.IO.Compression;
using Moat.Detection.Sketches;
using Moat.Detection.Text;

namespace Moat.Detection.Benchmarks;

/// <summary>A known benchmark item that a prompt nearly duplicates.</summary>
public sealed record BenchmarkMatch(string ItemId, double Similarity);

/// <summary>
/// Near-duplicate lookup of prompts against known benchmark items. Holds only MinHash band hashes per item
/// (64 bytes each), never the item text, so it can be shipped as a compact fingerprint file.
/// </summary>
public sealed class BenchmarkIndex
{
    /// <summary>Bands that must agree before a prompt counts as a copy (about Jaccard ≥ 0.6 on 4-row bands).</summary>
    public const int MinimumMatchingBands = 3;
    private const string FileMagic = "MOATBF1";

    private readonly List<string> _ids = [];
    private readonly Dictionary<ulong, List<int>> _buckets = [];

    public static BenchmarkIndex Empty { get; } = new();

    public int Count => _ids.Count;

    public void Add(string itemId, string text)
    {
        var tokens = new List<ulong>(256);
        WordTokenizer.Tokenize(text, tokens, maskNumbers: false);
        var signature = MinHashSignature.FromTokens(tokens);
        if (signature is null)
        {
            return;
        }
        Span<uint> bands = stackalloc uint[MinHashSignature.Bands];
        for (var b = 0; b < bands.Length; b++)
        {
            bands[b] = signature.BandHash(b);
        }
        AddBands(itemId, bands);
    }

    /// <summary>The best matching item for a prompt's signature, or null.</summary>
    public BenchmarkMatch? Find(MinHashSignature? signature)
    {
        if (signature is null || _ids.Count == 0)
        {
            return null;
        }
        Dictionary<int, int>? votes = null;
        for (var b = 0; b < MinHashSignature.Bands; b++)
        {
            if (_buckets.TryGetValue(Key(b, signature.BandHash(b)), out var items))
            {
                votes ??= [];
                foreach (var item in items)
                {
                    votes[item] = votes.GetValueOrDefault(item) + 1;
                }
            }
        }
        if (votes is null)
        {
            return null;
        }
        var best = -1;
        var bestVotes = 0;
        foreach (var (item, count) in votes)
        {
            if (count > bestVotes)
            {
                best = item;
                bestVotes = count;
            }
        }
        return bestVotes >= MinimumMatchingBands
            ? new BenchmarkMatch(_ids[best], Math.Pow(bestVotes / (double)MinHashSignature.Bands, 1.0 / MinHashSignature.RowsPerBand))
            : null;
    }

    /// <summary>Writes the compact fingerprint file (gzip: magic, count, then id + band hashes per item).</summary>
    public void Save(Stream stream)
    {
        using var gzip = new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new BinaryWriter(gzip);
        writer.Write(FileMagic);
        writer.Write(_ids.Count);
        var bandsById = new uint[_ids.Count, MinHashSignature.Bands];
        foreach (var (key, items) in _buckets)
        {
            foreach (var item in items)
            {
                bandsById[item, (int)(key >> 32)] = (uint)key;
            }
        }
        for (var i = 0; i < _ids.Count; i++)
        {
            writer.Write(_ids[i]);
            for (var b = 0; b < MinHashSignature.Bands; b++)
            {
                writer.Write(bandsById[i, b]);
            }
        }
    }

    public static BenchmarkIndex Load(Stream stream)
    {
        using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new BinaryReader(gzip);
        if (reader.ReadString() != FileMagic)
        {
            throw new InvalidDataException("Not a Moat benchmark fingerprint file.");
        }
        var index = new BenchmarkIndex();
        var count = reader.ReadInt32();
        Span<uint> bands = stackalloc uint[MinHashSignature.Bands];
        for (var i = 0; i < count; i++)
        {
            var id = reader.ReadString();
            for (var b = 0; b < bands.Length; b++)
            {
                bands[b] = reader.ReadUInt32();
            }
            index.AddBands(id, bands);
        }
        return index;
    }

    private void AddBands(string itemId, ReadOnlySpan<uint> bands)
    {
        var item = _ids.Count;
        _ids.Add(itemId);
        for (var b = 0; b < bands.Length; b++)
        {
            var key = Key(b, bands[b]);
            if (!_buckets.TryGetValue(key, out var items))
            {
                items = new List<int>(1);
                _buckets[key] = items;
            }
            items.Add(item);
        }
    }

    private static ulong Key(int band, uint hash) => ((ulong)band << 32) | hash;
}
