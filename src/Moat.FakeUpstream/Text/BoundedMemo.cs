using System.Collections.Concurrent;

namespace Moat.FakeUpstream.Text;

/// <summary>
/// A bounded memo for values that are pure functions of their key (replies, token counts), so a
/// load benchmark that repeats prompts skips generation and tokenisation. When full it is simply
/// emptied: cheaper than LRU bookkeeping on every hit, and a miss only costs one recomputation.
/// </summary>
internal sealed class BoundedMemo<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _values = new();
    private int _count;

    public TValue GetOrAdd<TState>(TKey key, TState state, Func<TKey, TState, TValue> create)
    {
        if (_values.TryGetValue(key, out var value))
        {
            return value;
        }

        value = create(key, state);
        if (Interlocked.Increment(ref _count) > capacity)
        {
            _values.Clear();
            Interlocked.Exchange(ref _count, 0);
        }

        _values.TryAdd(key, value);
        return value;
    }
}
