namespace Moat.Detection.Sketches;

/// <summary>
/// "Seen recently?" for prompt hashes in fixed memory: two Bloom filters of <see cref="Bits"/> bits each; inserts go to
/// the current one, which is swapped with the cleared older one after <see cref="Generation"/> inserts, so a prompt is
/// remembered for between one and two generations. About 5% false "seen" at a full generation; never a false "new".
/// </summary>
public sealed class RecentSet
{
    public const int Bits = 16_384;
    public const int Generation = 2_000;
    private const int Hashes = 3;

    private ulong[] _current = new ulong[Bits / 64];
    private ulong[] _previous = new ulong[Bits / 64];
    private int _inserted;

    /// <summary>Adds the hash; returns true when it was (probably) seen within the last one to two generations.</summary>
    public bool AddAndCheck(ulong hash)
    {
        var seen = Contains(_current, hash) || Contains(_previous, hash);
        if (!Contains(_current, hash))
        {
            Set(_current, hash);
            if (++_inserted >= Generation)
            {
                (_previous, _current) = (_current, _previous);
                Array.Clear(_current);
                _inserted = 0;
            }
        }
        return seen;
    }

    private static bool Contains(ulong[] filter, ulong hash)
    {
        for (var i = 0; i < Hashes; i++)
        {
            var bit = Position(hash, i);
            if ((filter[bit >> 6] & (1UL << (bit & 63))) == 0)
            {
                return false;
            }
        }
        return true;
    }

    private static void Set(ulong[] filter, ulong hash)
    {
        for (var i = 0; i < Hashes; i++)
        {
            var bit = Position(hash, i);
            filter[bit >> 6] |= 1UL << (bit & 63);
        }
    }

    // Kirsch–Mitzenmacher: two halves of the 64-bit hash give the k positions.
    private static int Position(ulong hash, int i) => (int)(((uint)hash + (ulong)i * (uint)(hash >> 32)) % Bits);
}
