namespace Moat.Provenance;

/// <summary>
/// Inverted index from fingerprint to the entry ids that contain it: an open-addressing table of fingerprints. New
/// postings go to singly linked lists threaded through fixed-size chunks of nodes (8 bytes each; growing never copies
/// the nodes already written). <see cref="Freeze"/> lays every list out contiguously (4 bytes a posting, read in order);
/// lists keep a linked head for what is added after. The slot arrays a freeze needs (12 bytes a slot) exist only after one.
/// </summary>
internal sealed class PostingTable
{
    private uint[] _keys;
    private int[] _heads; // linked part: node index + 1; 0 = no linked entries
    private int[] _lengths; // all entries of the key (linked + frozen); 0 marks an empty slot
    private long[]? _frozen; // frozen run: (chunk << 32) | offset; its length is _lengths - linked length (null until a freeze)
    private int[]? _linked; // entries in the linked part (null until a freeze: then all are linked)
    private NodeChunks _nodes = new();
    private readonly List<int[]> _runs = [];
    private int _nodeCount;
    private long _frozenCount;
    private int _mask;

    public PostingTable(int initialSlots = 1 << 16)
    {
        var slots = (int)BitOperationsRoundUp(initialSlots);
        _keys = new uint[slots];
        _heads = new int[slots];
        _lengths = new int[slots];
        _mask = slots - 1;
    }

    /// <summary>Distinct keys.</summary>
    public int Fingerprints { get; private set; }

    /// <summary>All postings, linked and frozen.</summary>
    public long Postings => _nodeCount + _frozenCount;

    /// <summary>Postings still in linked nodes (appended since the last <see cref="Freeze"/>).</summary>
    public long LinkedPostings => _nodeCount;

    /// <summary>Bytes held by the arrays, for the RAM report.</summary>
    public long ArrayBytes => (long)_keys.Length * (_frozen is null ? 12 : 24) + _nodes.Bytes + _runs.Sum(r => (long)r.Length * 4);

    public void Add(uint fingerprint, int entryId)
    {
        if ((Fingerprints + 1) * 10L > _keys.Length * 7L) Grow();
        if (_nodeCount == int.MaxValue) throw new InvalidOperationException("The provenance index is full.");
        var slot = FindSlot(fingerprint);
        if (_lengths[slot] == 0)
        {
            _keys[slot] = fingerprint;
            Fingerprints++;
        }

        _nodes.Set(_nodeCount, entryId, _heads[slot]);
        _nodeCount++;
        _heads[slot] = _nodeCount;
        _lengths[slot]++;
        if (_linked is not null) _linked[slot]++;
    }

    /// <summary>Number of entries holding the fingerprint.</summary>
    public int LengthOf(uint fingerprint) => _lengths[FindSlot(fingerprint)];

    public PostingEnumerator EntriesOf(uint fingerprint)
    {
        var slot = FindSlot(fingerprint);
        var frozenLength = _linked is null ? 0 : _lengths[slot] - _linked[slot];
        var run = frozenLength == 0 ? default : _runs[(int)(_frozen![slot] >> 32)].AsSpan((int)_frozen[slot], frozenLength);
        return new PostingEnumerator(_nodes, _heads[slot], run);
    }

    /// <summary>
    /// Lays every posting list out contiguously, newest entry first (the order the linked lists give), and drops the
    /// linked nodes: walking a list then reads consecutive memory instead of one scattered node per entry, and a posting
    /// takes 4 bytes instead of 8. Later additions are linked again until the next freeze. O(all postings); the caller
    /// holds the index's write lock.
    /// </summary>
    public void Freeze()
    {
        if (_nodeCount == 0) return;
        var runs = new List<int[]>();
        var frozen = PlaceRuns(runs, (slot, chunk, at, length) =>
        {
            for (var node = _heads[slot]; node != 0;)
            {
                (chunk[at++], node) = _nodes.Get(node - 1);
            }

            var old = _linked is null ? 0 : length - _linked[slot];
            if (old > 0) _runs[(int)(_frozen![slot] >> 32)].AsSpan((int)_frozen[slot], old).CopyTo(chunk.AsSpan(at));
        });

        _runs.Clear();
        _runs.AddRange(runs);
        _frozen = frozen;
        _frozenCount += _nodeCount;
        Array.Clear(_heads);
        _linked = new int[_keys.Length];
        _nodes = new NodeChunks();
        _nodeCount = 0;
    }

    /// <summary>
    /// Fills an empty table with the keys of entries 0 … <paramref name="entries"/> − 1, every list laid out contiguously
    /// and newest entry first — the table a run of <see cref="Add"/> calls and a <see cref="Freeze"/> would leave — in two
    /// sequential passes over the entries (count the postings of each key, then write each entry id into its key's run)
    /// instead of linking one node per posting and walking the scattered nodes afterwards. Opening an index uses it.
    /// </summary>
    /// <param name="entries">Number of entries; ids are 0 … entries − 1.</param>
    /// <param name="keysOf">The distinct keys of one entry (called twice per entry).</param>
    public void Load(int entries, Func<int, ReadOnlySpan<uint>> keysOf)
    {
        if (Fingerprints != 0) throw new InvalidOperationException("Load fills an empty table.");
        long total = 0;
        for (var id = 0; id < entries; id++)
        {
            foreach (var key in keysOf(id))
            {
                if ((Fingerprints + 1) * 10L > _keys.Length * 7L) Grow();
                var slot = FindSlot(key);
                if (_lengths[slot] == 0)
                {
                    _keys[slot] = key;
                    Fingerprints++;
                }

                _lengths[slot]++;
                total++;
            }
        }

        if (total == 0) return;
        // Each key's run has its place; a cursor fills it from the back (ids ascend, a run is newest first).
        var cursor = new int[_keys.Length];
        var frozen = PlaceRuns(_runs, (slot, _, at, length) => cursor[slot] = at + length);
        for (var id = 0; id < entries; id++)
        {
            foreach (var key in keysOf(id))
            {
                var slot = FindSlot(key);
                _runs[(int)(frozen[slot] >> 32)][--cursor[slot]] = id;
            }
        }

        _frozen = frozen;
        _frozenCount = total;
        _linked = new int[_keys.Length];
    }

    private const int RunChunk = 1 << 22;

    private delegate void RunPlaced(int slot, int[] chunk, int at, int length);

    /// <summary>
    /// Gives every key's list a contiguous run in chunks of <see cref="RunChunk"/> ids (a longer list gets a chunk of its
    /// own), in slot order, appending new chunks to <paramref name="runs"/>; <paramref name="placed"/> fills or marks each
    /// run. Returns each slot's place, (chunk index &lt;&lt; 32) | offset.
    /// </summary>
    private long[] PlaceRuns(List<int[]> runs, RunPlaced placed)
    {
        var frozen = new long[_keys.Length];
        var chunk = Array.Empty<int>();
        var used = 0;
        for (var slot = 0; slot < _keys.Length; slot++)
        {
            var length = _lengths[slot];
            if (length == 0) continue;
            if (used + length > chunk.Length)
            {
                chunk = new int[Math.Max(RunChunk, length)];
                runs.Add(chunk);
                used = 0;
            }

            frozen[slot] = ((long)(runs.Count - 1) << 32) | (uint)used;
            placed(slot, chunk, used, length);
            used += length;
        }

        return frozen;
    }

    private int FindSlot(uint fingerprint)
    {
        // Fingerprints are already uniform hash bits, so the low bits are a fine slot index.
        var slot = (int)(fingerprint & (uint)_mask);
        while (_lengths[slot] != 0 && _keys[slot] != fingerprint) slot = (slot + 1) & _mask;
        return slot;
    }

    private void Grow()
    {
        var oldKeys = _keys;
        var oldHeads = _heads;
        var oldLengths = _lengths;
        var oldFrozen = _frozen;
        var oldLinked = _linked;
        _keys = new uint[oldKeys.Length * 2];
        _heads = new int[oldKeys.Length * 2];
        _lengths = new int[oldKeys.Length * 2];
        _frozen = oldFrozen is null ? null : new long[oldKeys.Length * 2];
        _linked = oldLinked is null ? null : new int[oldKeys.Length * 2];
        _mask = _keys.Length - 1;
        for (var i = 0; i < oldKeys.Length; i++)
        {
            if (oldLengths[i] == 0) continue;
            var slot = FindSlot(oldKeys[i]);
            _keys[slot] = oldKeys[i];
            _heads[slot] = oldHeads[i];
            _lengths[slot] = oldLengths[i];
            if (_frozen is not null) _frozen[slot] = oldFrozen![i];
            if (_linked is not null) _linked[slot] = oldLinked![i];
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

/// <summary>Walks one posting list, newest entry first (the linked part, then the frozen run), without allocating.</summary>
internal ref struct PostingEnumerator(NodeChunks nodes, int head, ReadOnlySpan<int> run)
{
    private readonly NodeChunks _nodes = nodes;
    private readonly ReadOnlySpan<int> _run = run;
    private int _node = head;
    private int _index = -1;
    private int _current;

    public readonly int Current => _current;

    public bool MoveNext()
    {
        if (_node != 0)
        {
            (_current, _node) = _nodes.Get(_node - 1);
            return true;
        }

        if (++_index >= _run.Length) return false;
        _current = _run[_index];
        return true;
    }

    public readonly PostingEnumerator GetEnumerator() => this;
}
