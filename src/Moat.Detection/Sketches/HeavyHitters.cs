namespace Moat.Detection.Sketches;

/// <summary>
/// Space-Saving top-k: tracks the most frequent keys in fixed capacity. Counts may over-estimate by at most the
/// evicted minimum, which is reported as <see cref="Entry.Error"/>.
/// </summary>
public sealed class HeavyHitters
{
    private readonly Entry[] _entries;
    private int _count;

    public HeavyHitters(int capacity = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _entries = new Entry[capacity];
    }

    public sealed class Entry
    {
        public ulong Key { get; internal set; }
        public int Count { get; internal set; }
        public int Error { get; internal set; }

        /// <summary>A short, slot-masked description kept once the key proves to be a repeated template.</summary>
        public string? Label { get; set; }
    }

    public IEnumerable<Entry> Entries => _entries.Take(_count);

    /// <summary>Counts one occurrence and returns its entry.</summary>
    public Entry Add(ulong key)
    {
        Entry? min = null;
        for (var i = 0; i < _count; i++)
        {
            var entry = _entries[i];
            if (entry.Key == key)
            {
                entry.Count++;
                return entry;
            }
            if (min is null || entry.Count < min.Count)
            {
                min = entry;
            }
        }
        if (_count < _entries.Length)
        {
            var fresh = new Entry { Key = key, Count = 1 };
            _entries[_count++] = fresh;
            return fresh;
        }
        min!.Error = min.Count;
        min.Key = key;
        min.Count++;
        min.Label = null;
        return min;
    }

    /// <summary>The entry with the largest guaranteed count (count minus error), or null.</summary>
    public Entry? Top()
    {
        Entry? best = null;
        for (var i = 0; i < _count; i++)
        {
            var entry = _entries[i];
            if (best is null || entry.Count - entry.Error > best.Count - best.Error)
            {
                best = entry;
            }
        }
        return best;
    }
}
