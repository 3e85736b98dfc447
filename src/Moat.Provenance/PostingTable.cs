namespace Moat.Provenance;

/// <summary>
/// Inverted index from fingerprint to the entry ids that contain it: an open-addressing table of fingerprints whose
/// slots head singly linked lists threaded through two flat int arrays, so 1M outputs cost a handful of large arrays
/// rather than millions of small ones.
/// </summary>
internal sealed class PostingTable
{
    private uint[] _keys;
    private int[] _heads; // node index + 1; 0 marks an empty slot
    private int[] _lengths;
    private int[] _nodeEntry;
    private int[] _nodeNext; // node index + 1; 0 ends the list
    private int _nodeCount;
    private int _mask;

    public PostingTable(int initialSlots = 1 << 16, int initialNodes = 1 << 16)
    {
        var slots = (int)BitOperationsRoundUp(initialSlots);
        _keys = new uint[slots];
        _heads = new int[slots];
        _lengths = new int[slots];
        _mask = slots - 1;
        _nodeEntry = new int[initialNodes];
        _nodeNext = new int[initialNodes];
    }

    public int Fingerprints { get; private set; }

    public long Postings => _nodeCount;

    /// <summary>Bytes held by the arrays, for the RAM report.</summary>
    public long ArrayBytes => (long)_keys.Length * 12 + (long)_nodeEntry.Length * 8;

    public void Add(uint fingerprint, int entryId)
    {
        if ((Fingerprints + 1) * 10L > _keys.Length * 7L) Grow();
        if (_nodeCount == _nodeEntry.Length)
        {
            var size = _nodeEntry.Length < (1 << 24) ? _nodeEntry.Length * 2 : _nodeEntry.Length + (_nodeEntry.Length >> 1);
            Array.Resize(ref _nodeEntry, size);
            Array.Resize(ref _nodeNext, size);
        }

        var slot = FindSlot(fingerprint);
        if (_heads[slot] == 0)
        {
            _keys[slot] = fingerprint;
            Fingerprints++;
        }

        _nodeEntry[_nodeCount] = entryId;
        _nodeNext[_nodeCount] = _heads[slot];
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
        return new PostingEnumerator(_nodeEntry, _nodeNext, _heads[slot]);
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

/// <summary>Walks one posting list, newest entry first, without allocating.</summary>
internal ref struct PostingEnumerator(int[] entries, int[] next, int head)
{
    private readonly int[] _entries = entries;
    private readonly int[] _next = next;
    private int _node = head;
    private int _current;

    public readonly int Current => _current;

    public bool MoveNext()
    {
        if (_node == 0) return false;
        _current = _entries[_node - 1];
        _node = _next[_node - 1];
        return true;
    }

    public readonly PostingEnumerator GetEnumerator() => this;
}
