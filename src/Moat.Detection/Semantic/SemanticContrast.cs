namespace Moat.Detection.Semantic;

/// <summary>
/// The organisation as its own reference, in meaning rather than words. A product's users follow up what they ask
/// whatever it is about, so the openings nobody follows up look like the ones that are followed up; a harvest run
/// through the product's own keys, client and system prompt is a second population of openings that nobody follows up
/// and that is *about something else*. Per organisation this keeps sentence embeddings of a sample of its counted
/// openings — the last <see cref="Side"/> followed up and the last <see cref="Side"/> never followed up
/// (<see cref="SettleAfter"/> without a follow-up) — and asks two questions of them, each by permutation
/// (<see cref="Permutations"/> relabellings of one similarity matrix) at half the level: are some never-followed
/// openings unlike every followed one (their nearest followed opening less similar than the second-lowest of the
/// followed openings' own nearest-neighbour similarities, where a product's opening lands at the rate 2 / (followed + 1)):
/// a harvest of another subject; and do the two sides' mean embeddings differ (linear-kernel MMD²): a harvest of the
/// same subjects asked another way.
/// <para>
/// <see cref="Release"/> estimates the second population's share of the never-followed openings when either answer is
/// significant, else 0: <see cref="Signals.ExtractionVolume"/> counts that share of
/// the mass its follow-up gate held back, as it would count a harvest run from a code path of its own. It adds no score
/// by itself: the mass still has to pass the allowance. Holds no text: vectors only (64 × 384 floats at most, ~100 KB,
/// allocated only for organisations whose gate holds back mass).
/// </para>
/// </summary>
public sealed class SemanticContrast
{
    /// <summary>Embeddings kept per side (followed up, never followed up).</summary>
    public const int Side = 32;

    /// <summary>Embeddings per side before anything is tested.</summary>
    public const int MinimumPerSide = 16;

    /// <summary>How long a sampled opening waits for its follow-up before it counts as never followed up.</summary>
    public static readonly TimeSpan SettleAfter = TimeSpan.FromMinutes(30);

    /// <summary>Sampled openings awaiting their embedding or their settling; the oldest is forgotten beyond this.</summary>
    public const int MaxPending = 64;

    public const int Permutations = 400;
    public const double Alpha = 0.01;

    /// <summary>The smallest mean shift (linear-kernel MMD² of unit vectors) that counts, however significant.</summary>
    public const double MinimumShift = 0.005;

    /// <summary>New settled embeddings between two tests.</summary>
    private const int RetestEvery = 4;

    private readonly Dictionary<ulong, Pending> _pending = [];
    private readonly Queue<ulong> _order = new();
    private readonly Ring _followed = new();
    private readonly Ring _never = new();
    private readonly ulong _seed;
    private int _sinceTest;
    private int _tests;

    public SemanticContrast(ulong seed) => _seed = seed;

    /// <summary>The share of the gate-held mass to count (0 unless the two samples differ significantly).</summary>
    public double Release { get; private set; }

    /// <summary>Never-followed openings in the last test unlike every followed one (see <see cref="Release"/>).</summary>
    public int Unlike { get; private set; }

    /// <summary>The last test's distance between the two sides' mean embeddings (linear-kernel MMD²).</summary>
    public double Shift { get; private set; }

    public double PValue { get; private set; } = 1;
    public int Followed => _followed.Count;
    public int Never => _never.Count;

    /// <summary>Remembers a sampled opening (its embedding arrives through <see cref="Attach"/>).</summary>
    public void Add(ulong fingerprint, DateTimeOffset at)
    {
        if (fingerprint == 0 || _pending.ContainsKey(fingerprint))
        {
            return;
        }
        while (_order.Count >= MaxPending)
        {
            _pending.Remove(_order.Dequeue());
        }
        _pending[fingerprint] = new Pending(at);
        _order.Enqueue(fingerprint);
    }

    /// <summary>The embedding of a sampled opening; returns false when it is no longer pending.</summary>
    public bool Attach(ulong fingerprint, float[] embedding, DateTimeOffset now)
    {
        if (!_pending.TryGetValue(fingerprint, out var pending))
        {
            return false;
        }
        pending.Vector = Normalised(embedding);
        if (pending.FollowedUp)
        {
            Settle(fingerprint, pending, followed: true);
        }
        SettleDue(now);
        return true;
    }

    /// <summary>A conversation continued the reply with <paramref name="fingerprint"/>: if it answered a sampled opening, that opening was followed up.</summary>
    public void FollowedUp(ulong fingerprint)
    {
        if (fingerprint == 0 || !_pending.TryGetValue(fingerprint, out var pending))
        {
            return;
        }
        pending.FollowedUp = true;
        if (pending.Vector is not null)
        {
            Settle(fingerprint, pending, followed: true);
        }
    }

    /// <summary>Openings sampled more than <see cref="SettleAfter"/> before <paramref name="now"/> and not followed up count as never followed up.</summary>
    public void SettleDue(DateTimeOffset now)
    {
        while (_order.Count > 0)
        {
            var fingerprint = _order.Peek();
            if (!_pending.TryGetValue(fingerprint, out var pending))
            {
                _order.Dequeue(); // settled already (followed up)
                continue;
            }
            if (now - pending.At < SettleAfter)
            {
                break;
            }
            _order.Dequeue();
            if (pending.Vector is null)
            {
                _pending.Remove(fingerprint); // never embedded (the embedder's queue was full): forgotten
                continue;
            }
            Settle(fingerprint, pending, followed: false);
        }
        if (_sinceTest >= RetestEvery && _followed.Count >= MinimumPerSide && _never.Count >= MinimumPerSide)
        {
            Test();
        }
    }

    private void Settle(ulong fingerprint, Pending pending, bool followed)
    {
        _pending.Remove(fingerprint);
        (followed ? _followed : _never).Add(pending.Vector!);
        _sinceTest++;
    }

    private void Test()
    {
        _sinceTest = 0;
        _tests++;
        var f = _followed.Count;
        var n = _never.Count;
        var m = f + n;
        var vectors = new float[m][];
        for (var i = 0; i < n; i++)
        {
            vectors[i] = _never[i];
        }
        for (var i = 0; i < f; i++)
        {
            vectors[n + i] = _followed[i];
        }
        var cosine = new double[m, m];
        for (var i = 0; i < m; i++)
        {
            for (var j = i; j < m; j++)
            {
                cosine[i, j] = cosine[j, i] = Dot(vectors[i], vectors[j]);
            }
        }
        var labels = new bool[m]; // true: followed up
        for (var i = n; i < m; i++)
        {
            labels[i] = true;
        }
        var shift = MeanShift(cosine, labels, n, f);
        var unlike = UnlikeFollowed(cosine, labels, n);
        var random = new Random(unchecked((int)(_seed ^ (ulong)_tests * 0x9E3779B97F4A7C15UL)));
        int shiftAtLeast = 0, unlikeAtLeast = 0;
        var permuted = (bool[])labels.Clone();
        for (var p = 0; p < Permutations; p++)
        {
            random.Shuffle(permuted);
            shiftAtLeast += MeanShift(cosine, permuted, n, f) >= shift ? 1 : 0;
            unlikeAtLeast += UnlikeFollowed(cosine, permuted, n) >= unlike ? 1 : 0;
        }
        Shift = shift;
        Unlike = unlike;
        var shiftP = (shiftAtLeast + 1.0) / (Permutations + 1.0);
        var unlikeP = (unlikeAtLeast + 1.0) / (Permutations + 1.0);
        // Two tests, each at half the level (Bonferroni): the reported p is the smaller, doubled.
        PValue = Math.Min(1, 2 * Math.Min(shiftP, unlikeP));
        var release = 0.0;
        if (unlikeP <= Alpha / 2)
        {
            // A never-followed opening from the product falls below the followed ones' second-lowest nearest-neighbour
            // similarity at the rate chance gives (2 / (f + 1)); one from a second population nearly always does.
            var chance = 2.0 / (f + 1);
            release = Math.Max(release, ((double)unlike / n - chance) / (1 - chance));
        }
        if (shiftP <= Alpha / 2 && shift >= MinimumShift)
        {
            // A second population shifts the mean without leaving the product's support: a never-followed opening from it
            // has its nearest neighbour among the never followed, one from the product does so at the rate chance gives
            // (≈ ½), so the excess is about half the second population's share.
            release = Math.Max(release, 2 * NearestNeighbourExcess(cosine, n, m));
        }
        Release = Math.Clamp(release, 0, 1);
    }

    /// <summary>Unbiased squared distance between the mean embeddings of the never-followed (label false) and followed items (linear-kernel MMD²).</summary>
    private static double MeanShift(double[,] cosine, bool[] followed, int n, int f)
    {
        double within0 = 0, within1 = 0, across = 0;
        var m = followed.Length;
        for (var i = 0; i < m; i++)
        {
            for (var j = i + 1; j < m; j++)
            {
                var k = cosine[i, j];
                if (followed[i] != followed[j])
                {
                    across += k;
                }
                else if (!followed[i])
                {
                    within0 += k;
                }
                else
                {
                    within1 += k;
                }
            }
        }
        return 2 * within0 / (n * (n - 1.0)) + 2 * within1 / (f * (f - 1.0)) - 2 * across / (n * (double)f);
    }

    /// <summary>Share of the never-followed items (the first <paramref name="n"/>) whose nearest other item is never followed, less chance.</summary>
    private static double NearestNeighbourExcess(double[,] cosine, int n, int m)
    {
        var same = 0;
        for (var i = 0; i < n; i++)
        {
            var best = double.MinValue;
            var nearest = -1;
            for (var j = 0; j < m; j++)
            {
                if (j != i && cosine[i, j] > best)
                {
                    best = cosine[i, j];
                    nearest = j;
                }
            }
            if (nearest < n)
            {
                same++;
            }
        }
        return (double)same / n - (n - 1.0) / (m - 1.0);
    }

    /// <summary>
    /// How many of the <paramref name="n"/> items not labelled followed are unlike every followed one: their nearest
    /// followed item is less similar than the second-lowest of the followed items' own nearest-other-followed similarities.
    /// </summary>
    private static int UnlikeFollowed(double[,] cosine, bool[] followed, int n)
    {
        var m = followed.Length;
        Span<double> own = stackalloc double[m];
        var count = 0;
        for (var i = 0; i < m; i++)
        {
            if (!followed[i])
            {
                continue;
            }
            var best = double.MinValue;
            for (var j = 0; j < m; j++)
            {
                if (j != i && followed[j] && cosine[i, j] > best)
                {
                    best = cosine[i, j];
                }
            }
            own[count++] = best;
        }
        var sorted = own[..count];
        sorted.Sort();
        var bar = sorted[Math.Min(1, count - 1)];
        var unlike = 0;
        for (var i = 0; i < m; i++)
        {
            if (followed[i])
            {
                continue;
            }
            var best = double.MinValue;
            for (var j = 0; j < m; j++)
            {
                if (followed[j] && cosine[i, j] > best)
                {
                    best = cosine[i, j];
                }
            }
            if (best < bar)
            {
                unlike++;
            }
        }
        return unlike;
    }

    private static double Dot(float[] a, float[] b)
    {
        var length = Math.Min(a.Length, b.Length);
        var sum = 0.0;
        for (var i = 0; i < length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static float[] Normalised(float[] embedding)
    {
        var norm = Math.Sqrt(Dot(embedding, embedding));
        var copy = new float[embedding.Length];
        if (norm > 0)
        {
            for (var i = 0; i < copy.Length; i++)
            {
                copy[i] = (float)(embedding[i] / norm);
            }
        }
        return copy;
    }

    private sealed class Pending(DateTimeOffset at)
    {
        public DateTimeOffset At { get; } = at;
        public float[]? Vector { get; set; }
        public bool FollowedUp { get; set; }
    }

    /// <summary>The last <see cref="Side"/> embeddings of one side.</summary>
    private sealed class Ring
    {
        private readonly float[][] _items = new float[Side][];
        private int _next;

        public int Count { get; private set; }

        public float[] this[int index] => _items[index];

        public void Add(float[] item)
        {
            _items[_next] = item;
            _next = (_next + 1) % Side;
            Count = Math.Min(Side, Count + 1);
        }
    }
}
