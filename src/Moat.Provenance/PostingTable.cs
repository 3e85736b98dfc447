namespace Moat.Provenance;

/// <summary>
/// Inverted index from fingerprint to the entry ids that contain it: an open-addressing table of fingerprints whose
/// slots head singly linked lists threaded through fixed-size chunks of nodes, so 1M outputs cost a few hundred large
/// arrays rather than millions of small ones, and growing never copies (or leaves for the collector) the nodes already
/// written: each posting costs its 8 bytes once.
/// </summary>
internal sealed class PostingTable
{
    private uint[] _keys;
    private int[] _heads; // node index + 1; 0 marks an empty slot
    private int[] _lengths;
    private readonly NodeChunks _nodes = new();
    private int _nodeCount;
    private int _mask;

    public PostingTable(int initialSlots = 1 << 16)
    {
        var slots = (int)BitOperationsRoundUp(initialSlots);
        _keys = new uint[slots];
        _heads = new int[slots];
        _lengths = new int[slots];
        _mask = slots - 1;
    }

    public int Fingerprints { get; private set; }

    public long Postings => _nodeCount;

    /// <summary>Bytes held by the arrays, for the RAM report.</summary>
    public long ArrayBytes => (long)_keys.Length * 12 + _nodes.Bytes;

    public void Add(uint fingerprint, int entryId)
    {
        if ((Fingerprints + 1) * 10L > _keys.Length * 7L) Grow();
        if (_nodeCount == int.MaxValue) throw new InvalidOperationException("The provenance index is full.");
        var slot = FindSlot(fingerprint);
        if (_heads[slot] == 0)
        {
            _keys[slot] = fingerprint;
            Fingerprints++;
        }

        _nodes.Set(_nodeCount, entryId, _heads[slot]);
        _nodeCount++;
        _heads[slot] = _nodeCount;
        _lengths[slot]++;
    }

    /// <summary>Number of entries holding the fingerprint.</summary>
    public int LengthOf(uint fingerprint)
    {
        var slot = FindSlot(fingerprint);
        return _heads[slot] == 0 ? 0 : _lengths[slot];
    }

    public PostingEnumerator EntriesOf(uint fingerprint)
    {
        var slot = FindSlot(fingerprint);
        return new PostingEnumerator(_nodes, _heads[slot]);
    }

    private int FindSlot(uint fingerprint)
    {
        // Fingerprints are already uniform hash bits, so the low bits are a fine slot index.
        var slot = (int)(fingerprint & (uint)_mask);
        while (_heads[slot] != 0 && _keys[slot] != fingerprint) slot = (slot + 1) & _mask;
        return slot;
    }

    private void Grow()
    {
        var oldKeys = _keys;
        var oldHeads = _heads;
        var oldLengths = _lengths;
        _keys = new uint[oldKeys.Length * 2];
        _heads = new int[oldKeys.Length * 2];
        _lengths = new int[oldKeys.Length * 2];
        _mask = _keys.Length - 1;
        for (var i = 0; i < oldKeys.Length; i++)
        {
            if (oldHeads[i] == 0) continue;
            var slot = FindSlot(oldKeys[i]);
            _keys[slot] = oldKeys[i];
            _heads[slot] = oldHeads[i];
            _lengths[slot] = oldLengths[i];
        }
    }

    private static uint BitOperationsRoundUp(int value) => System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, value));
}

/// <summary>
/// The nodes of all posting lists: entry id and link (node index + 1; 0 ends the list) side by side, in chunks of
/// <see cref="ChunkSize"/> nodes allocated as needed and never moved.
/// </summary>
internal sealed class NodeChunks
{
    public const int ChunkShift = 16;
    public const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    private int[]?[] _chunks = new int[]?[16];
    private int _allocated;

    public long Bytes => (long)_allocated * ChunkSize * 8;

    public void Set(int node, int entry, int next)
    {
        var index = node >> ChunkShift;
        if (index == _chunks.Length) Array.Resize(ref _chunks, _chunks.Length * 2);
        var chunk = _chunks[index];
        if (chunk is null)
        {
            chunk = _chunks[index] = new int[ChunkSize * 2];
            _allocated++;
        }

        var at = (node & ChunkMask) * 2;
        chunk[at] = entry;
        chunk[at + 1] = next;
    }

    /// <summary>The entry id and the link of a node.</summary>
    public (int Entry, int Next) Get(int node)
    {
        var chunk = _chunks[node >> ChunkShift]!;
        var at = (node & ChunkMask) * 2;
        return (chunk[at], chunk[at + 1]);
    }
}

/// <summary>Walks one posting list, newest entry first, without allocating.</summary>
internal ref struct PostingEnumerator(NodeChunks nodes, int head)
{
    private readonly NodeChunks _nodes = nodes;
    private int _node = head;
    private int _current;

    public readonly int Current => _current;

    public bool MoveNext()
    {
        if (_node == 0) return false;
        (_current, _node) = _nodes.Get(_node - 1);
        return true;
    }

    public readonly PostingEnumerator GetEnumerator() => this;
}
