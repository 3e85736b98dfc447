namespace Moat.Provenance;

/// <summary>
/// An append-only store of short runs of values (one run per indexed output: its word codes or its fingerprints) in
/// chunks that are allocated as needed and never moved, so growing the index never copies what it holds or leaves
/// old arrays for the collector. A run never straddles two chunks; a run longer than a chunk gets a chunk of its own.
/// A location is the chunk number in the high bits and the offset in the low <see cref="ChunkShift"/> bits.
/// </summary>
internal sealed class AppendArena<T>
    where T : unmanaged
{
    public const int ChunkShift = 18;
    public const int ChunkSize = 1 << ChunkShift;
    private const int MaxChunks = 1 << (31 - ChunkShift);

    private T[][] _chunks = new T[16][];
    private int _chunkCount;
    private int _used;
    private long _capacity;

    /// <summary>Values stored.</summary>
    public long Count { get; private set; }

    /// <summary>Bytes held by the chunks, for the RAM report.</summary>
    public long Bytes => _capacity * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    /// <summary>Stores a run and returns its location.</summary>
    public int Append(ReadOnlySpan<T> run)
    {
        if (_chunkCount == 0 || _used + run.Length > _chunks[_chunkCount - 1].Length)
        {
            if (_chunkCount == MaxChunks) throw new InvalidOperationException("The provenance index is full.");
            if (_chunkCount == _chunks.Length) Array.Resize(ref _chunks, _chunks.Length * 2);
            var chunk = new T[Math.Max(ChunkSize, run.Length)];
            _chunks[_chunkCount++] = chunk;
            _capacity += chunk.Length;
            _used = 0;
        }

        var offset = _used;
        run.CopyTo(_chunks[_chunkCount - 1].AsSpan(offset));
        _used += run.Length;
        Count += run.Length;
        return ((_chunkCount - 1) << ChunkShift) | offset;
    }

    /// <summary>The run stored at a location.</summary>
    public ReadOnlySpan<T> Get(int location, int length) =>
        length == 0 ? default : _chunks[location >>> ChunkShift].AsSpan(location & (ChunkSize - 1), length);
}
