namespace Moat.Detection.Sketches;

/// <summary>
/// Two Bloom filters of one size: keys are set in the current one, looked up in both, and <see cref="Rotate"/> makes
/// the current one the previous and starts an empty current one — so a key is remembered for between one and two
/// generations (the owner decides what a generation is). Never a false "absent" within a generation.
/// </summary>
public sealed class RotatingBloomFilter
{
    private readonly ulong _bits;
    private readonly int _probes;
    private ulong[] _current;
    private ulong[] _previous;

    public RotatingBloomFilter(ulong bits, int probes)
    {
        _bits = bits;
        _probes = probes;
        _current = new ulong[(bits + 63) / 64];
        _previous = new ulong[(bits + 63) / 64];
    }

    /// <summary>Bytes held (both generations).</summary>
    public long Bytes => 2L * _current.Length * sizeof(ulong);

    /// <summary>Whether the key is (probably) in either generation.</summary>
    public bool Contains(ulong key) => Contains(_current, key) || Contains(_previous, key);

    /// <summary>Whether the key is (probably) in the current generation.</summary>
    public bool ContainsCurrent(ulong key) => Contains(_current, key);

    public void Set(ulong key)
    {
        for (var i = 0; i < _probes; i++)
        {
            var bit = Position(key, i);
            _current[bit >> 6] |= 1UL << (int)(bit & 63);
        }
    }

    public void Rotate()
    {
        (_previous, _current) = (_current, _previous);
        Array.Clear(_current);
    }

    private bool Contains(ulong[] filter, ulong key)
    {
        for (var i = 0; i < _probes; i++)
        {
            var bit = Position(key, i);
            if ((filter[bit >> 6] & (1UL << (int)(bit & 63))) == 0)
            {
                return false;
            }
        }
        return true;
    }

    // Kirsch–Mitzenmacher: two halves of the 64-bit key give the probe positions.
    private ulong Position(ulong key, int i) => ((uint)key + (ulong)i * (uint)(key >> 32)) % _bits;
}
