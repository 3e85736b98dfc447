using System.Runtime.CompilerServices;

namespace Moat.Provenance;

/// <summary>
/// Verification: an in-order, local alignment of the query's content-word codes against one candidate's stored codes
/// (Smith–Waterman with linear gaps). A match scores 1 (0 for prompt words), skipping a word on either side costs the gap
/// penalty (nothing for names and prompt words), a substitution — both sides advancing past words that differ — costs the
/// mismatch penalty, and an alignment may jump ahead in the query to start another segment at a fixed cost, so a passage
/// whose sentences were shuffled, or one that quotes several outputs, still adds up.
/// <para>
/// Why order: a copy with 30% of its words edited keeps ~70% of its content words in their order, in lockstep with the
/// source where words were substituted; another model's answer to the same question shares topic words but in another
/// order, so its matches are scattered and the gaps between them cost more than the matches earn. Each candidate is scored
/// on its own best region of the query.
/// </para>
/// <para>
/// Two entry points share one recurrence: <see cref="Score"/> only, for every candidate a search verifies, and
/// <see cref="ScoreAndFraction"/>, which also follows the best path's matched share, for the few a search reports. The
/// path bookkeeping is a type parameter, so the score-only instance carries none of it.
/// </para>
/// </summary>
internal sealed class AlignmentScorer(double gapPenalty, double jumpPenalty, double mismatchPenalty)
{
    private readonly float _gap = (float)gapPenalty;
    private readonly float _mismatch = (float)mismatchPenalty;
    private readonly float _jump = (float)jumpPenalty;

    /// <summary>Best alignment score of the query against the stored codes.</summary>
    /// <param name="query">Query codes (names flagged).</param>
    /// <param name="stored">Stored codes (names and prompt words flagged).</param>
    public double Score(ReadOnlySpan<ushort> query, ReadOnlySpan<ushort> stored) => Align<NoPath>(query, stored).Score;

    /// <summary>Best alignment score, and the share of the best path's stored span that matched.</summary>
    public (double Score, double MatchedFraction) ScoreAndFraction(ReadOnlySpan<ushort> query, ReadOnlySpan<ushort> stored)
    {
        var (score, path) = Align<Path>(query, stored);
        return (score, path.Span == 0 ? 0 : Math.Min(1.0, (double)path.Matched / path.Span));
    }

    private (float Score, TPath Path) Align<TPath>(ReadOnlySpan<ushort> query, ReadOnlySpan<ushort> stored)
        where TPath : struct, IPath<TPath>
    {
        var n = stored.Length;
        if (n == 0 || query.IsEmpty) return (0, default);
        // Row state per stored column: score, and the path bookkeeping of the best path ending there.
        var h = new float[n + 1];
        var paths = new TPath[n + 1];
        var gapStored = new float[n];
        for (var j = 0; j < n; j++) gapStored[j] = (stored[j] & WordSequencer.SoftMask) != 0 ? 0f : _gap;

        float best = 0;
        TPath bestPath = default;
        for (var i = 0; i < query.Length; i++)
        {
            var q = query[i];
            var qHash = q & WordSequencer.HashMask;
            var gapQuery = (q & WordSequencer.SoftMask) != 0 ? 0f : _gap;
            // Starting a new segment: from nothing, or after the best alignment so far (earlier in the query) at a cost.
            var restart = best - _jump;
            float start;
            TPath startPath;
            if (restart > 0) { start = restart; startPath = bestPath; }
            else { start = 0; startPath = default; }

            // Left neighbour (same row) and diagonal (previous row, previous column).
            float diag = h[0], left = start;
            TPath diagPath = paths[0], leftPath = startPath;
            h[0] = start;
            paths[0] = startPath;
            for (var j = 1; j <= n; j++)
            {
                var s = stored[j - 1];
                // Up: skip this query word; or start here.
                var value = h[j] - gapQuery;
                var path = paths[j];
                Take(ref value, ref path, start, startPath);
                // Left: skip this stored word.
                Take(ref value, ref path, left - gapStored[j - 1], leftPath.Advanced());
                if ((s & WordSequencer.HashMask) != qHash)
                {
                    // Substitution: both sides advance past a word that differs (a synonym in place of a word).
                    Take(ref value, ref path, diag - Math.Min(_mismatch, gapQuery + gapStored[j - 1]), diagPath.Advanced());
                }
                else
                {
                    var w = (s & WordSequencer.PromptFlag) != 0 ? 0f : 1f;
                    // A match extends the diagonal, or starts here (ties go to the match).
                    if (diag >= start) Take(ref value, ref path, diag + w, diagPath.Matched(), tieWins: true);
                    else Take(ref value, ref path, start + w, startPath.Matched(), tieWins: true);
                }

                diag = h[j];
                diagPath = paths[j];
                h[j] = value;
                paths[j] = path;
                left = value;
                leftPath = path;
                Take(ref best, ref bestPath, value, path);
            }
        }

        return (best, bestPath);
    }

    /// <summary>
    /// value = max(value, candidate), the path following the winner (strictly greater wins, or a tie too when
    /// <paramref name="tieWins"/>; every caller passes a constant, which the inlined code folds). Without path bookkeeping
    /// it is a plain maximum: the winner of these comparisons is close to random, and a branch on it mispredicts most of
    /// the time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take<TPath>(ref float value, ref TPath path, float candidate, TPath candidatePath, bool tieWins = false)
        where TPath : struct, IPath<TPath>
    {
        if (typeof(TPath) == typeof(NoPath)) value = float.MaxNative(value, candidate);
        else if (candidate > value || (tieWins && candidate == value)) { value = candidate; path = candidatePath; }
    }

    /// <summary>What an alignment path remembers besides its score.</summary>
    private interface IPath<TSelf> where TSelf : struct, IPath<TSelf>
    {
        /// <summary>The path passed a stored word it did not match (skipped or substituted).</summary>
        TSelf Advanced();

        /// <summary>The path matched a stored word.</summary>
        TSelf Matched();
    }

    /// <summary>Remembers nothing: the score-only instance.</summary>
    private readonly struct NoPath : IPath<NoPath>
    {
        public NoPath Advanced() => this;

        public NoPath Matched() => this;
    }

    /// <summary>Matched stored words and the stored span the path covers.</summary>
    private readonly record struct Path(int Matched, int Span) : IPath<Path>
    {
        public Path Advanced() => this with { Span = Span + 1 };

        Path IPath<Path>.Matched() => new(Matched + 1, Span + 1);
    }
}
