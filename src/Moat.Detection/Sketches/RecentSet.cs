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

    private readonly RotatingBloomFilter _filter = new(Bits, Hashes);
    private int _inserted;

    /// <summary>Adds the hash; returns true when it was (probably) seen within the last one to two generations.</summary>
    public bool AddAndCheck(ulong hash)
    {
        var seen = _filter.Contains(hash);
        if (!_filter.ContainsCurrent(hash))
        {
            _filter.Set(hash);
            if (++_inserted >= Generation)
            {
                _filter.Rotate();
                _inserted = 0;
            }
        }
        return seen;
    }
}
