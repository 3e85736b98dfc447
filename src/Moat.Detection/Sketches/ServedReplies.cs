using Moat.Detection.Text;

namespace Moat.Detection.Sketches;

/// <summary>
/// "Did this organisation get this reply from us?" for reply fingerprints, across all organisations in fixed memory:
/// two rotating Bloom filters sized from the capacity (16 bits and 4 probes per entry: about 0.2% false "served" at a
/// full generation, never a false "not served" within one generation). A reply takes one entry; a reply that answered a
/// counted opening takes up to seven (its weight and the set bits of its class), and a generation rotates when its
/// entries, not its replies, reach the capacity. A second key marks replies that answered a
/// counted one-shot request (a conversation's opening) together with the weight that request added and its class, so its
/// continuation can take exactly that weight back. Weights come from a small set (<see cref="Weights"/>); the key
/// carries the weight's index, and one key per set bit the class number.
/// </summary>
public sealed class ServedReplies
{
    private const int Probes = 4;
    private const int BitsPerReply = 16;
    private const ulong ClassBitSalt = 0x6F70656E65720001UL;
    private const ulong WeightSalt = 0x7765696768740001UL;

    /// <summary>The weights an opening can carry: a base weight (0.1, 0.25, 1) times a cue multiplier (1 to 4 in halves).</summary>
    public static readonly double[] Weights =
        [.. new[] { 0.1, 0.25, 1.0 }.SelectMany(w => Enumerable.Range(0, 7).Select(i => w * (1 + 0.5 * i))).Distinct().Order()];

    private readonly int _generation;
    private readonly RotatingBloomFilter _filter;
    private int _inserted;

    // Request time of the first reply each generation holds: how far back the filters remember.
    private DateTimeOffset? _currentSince;
    private DateTimeOffset? _previousSince;

    /// <summary>
    /// A reply not found counts as "not served" only when the filters remember at least this far back; before that (a
    /// fresh start, or traffic so heavy that a generation fills within it) a miss may be a reply served before memory
    /// began, and the turn is taken at its word.
    /// </summary>
    public static readonly TimeSpan MinimumHorizon = TimeSpan.FromHours(2);

    /// <summary>Whether the filters remember replies back to <paramref name="at"/> − <see cref="MinimumHorizon"/>.</summary>
    public bool Remembers(DateTimeOffset at) =>
        (_previousSince ?? _currentSince) is { } since && at - since >= MinimumHorizon;

    /// <param name="capacity">Entries remembered for sure (one generation); up to twice as many are remembered.</param>
    public ServedReplies(int capacity)
    {
        _generation = Math.Max(1_000, capacity);
        _filter = new RotatingBloomFilter((ulong)_generation * BitsPerReply, Probes);
    }

    /// <summary>Bytes held (both generations).</summary>
    public long Bytes => _filter.Bytes;

    /// <summary>Remembers a reply; an <paramref name="opening"/> with weight marks it as answering that opening.</summary>
    public void Add(ulong orgKey, ulong fingerprint, Opening opening, DateTimeOffset at)
    {
        if (fingerprint == 0)
        {
            return;
        }
        _currentSince ??= at;
        var key = StableHash.Combine(orgKey, fingerprint);
        _filter.Set(key);
        var entries = 1;
        if (opening.Weight > 0)
        {
            for (var b = 0; b < Opening.ClassBits; b++)
            {
                if ((opening.Class & (1 << b)) != 0)
                {
                    _filter.Set(StableHash.Combine(key, ClassBitSalt + (ulong)b));
                    entries++;
                }
            }
            _filter.Set(StableHash.Combine(key, WeightSalt + (ulong)Nearest(opening.Weight)));
            entries++;
        }
        // A generation holds a number of entries, not of replies: an opening's marks fill the filter like replies do.
        _inserted += entries;
        if (_inserted >= _generation)
        {
            _filter.Rotate();
            _inserted = 0;
            _previousSince = _currentSince;
            _currentSince = null;
        }
    }

    /// <summary>Whether the organisation was served this reply, and the opening it answered (weight 0: none).</summary>
    public (bool Served, Opening Opening) Lookup(ulong orgKey, ulong fingerprint)
    {
        if (fingerprint == 0)
        {
            return (false, default);
        }
        var key = StableHash.Combine(orgKey, fingerprint);
        if (!_filter.Contains(key))
        {
            return (false, default);
        }
        for (var i = 0; i < Weights.Length; i++)
        {
            if (_filter.Contains(StableHash.Combine(key, WeightSalt + (ulong)i)))
            {
                var cls = 0;
                for (var b = 0; b < Opening.ClassBits; b++)
                {
                    if (_filter.Contains(StableHash.Combine(key, ClassBitSalt + (ulong)b)))
                    {
                        cls |= 1 << b;
                    }
                }
                return (true, new Opening(Weights[i], cls));
            }
        }
        return (true, default);
    }

    private static int Nearest(double weight)
    {
        var best = 0;
        for (var i = 1; i < Weights.Length; i++)
        {
            if (Math.Abs(Weights[i] - weight) < Math.Abs(Weights[best] - weight))
            {
                best = i;
            }
        }
        return best;
    }
}

/// <summary>
/// What a harvest-shaped one-shot request added: its weight, and its class — whether its cues raised it, and the client
/// profile it came from (<see cref="ProfileOf"/>: system prompt, <c>max_tokens</c>, temperature and <c>n</c>, hashed
/// into <see cref="Profiles"/> slots). Requests from one code path share a profile: a product's chat and a harvest run
/// beside it through the same account usually do not, so each is weighed by how often its own openings are followed up.
/// </summary>
public readonly record struct Opening(double Weight, int Class)
{
    public const int Profiles = 16;

    public const int Classes = 2 * Profiles;

    /// <summary>Bits of a class number (what <see cref="ServedReplies"/> stores per reply).</summary>
    public const int ClassBits = 5;

    /// <summary>Characters of the system prompt that name a code path (the rest is often per-user context).</summary>
    public const int SystemPromptCharacters = 300;

    public bool Cued => Class >= Profiles;

    public static int ClassOf(bool cued, int profile) => (cued ? Profiles : 0) + (profile & (Profiles - 1));

    /// <summary>
    /// The client profile slot of a request: the letters of the start of its system prompt (digits and punctuation left
    /// out, so a date or a user's number in it does not split one code path) and its sampling parameters.
    /// </summary>
    public static int ProfileOf(string? systemPrompt, int? maxTokens, double? temperature, int n)
    {
        var hash = StableHash.Seed;
        if (systemPrompt is not null)
        {
            foreach (var c in systemPrompt.AsSpan(0, Math.Min(systemPrompt.Length, SystemPromptCharacters)))
            {
                if (char.IsLetter(c))
                {
                    hash = StableHash.Add(hash, char.ToLowerInvariant(c));
                }
            }
        }
        hash = StableHash.Combine(hash, (ulong)(maxTokens ?? -1));
        hash = StableHash.Combine(hash, (ulong)(temperature is { } t ? (long)Math.Round(t * 10) : -1));
        hash = StableHash.Combine(hash, (ulong)n);
        return (int)(hash % Profiles);
    }
}
