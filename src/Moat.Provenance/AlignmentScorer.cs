namespace Moat.Provenance;

/// <summary>
/// Verification: an in-order, local alignment of the query's content-word codes against one candidate's stored codes
/// (Smith–Waterman with linear gaps). A match scores its weight, skipping a word on either side costs the gap penalty
/// (nothing for names and prompt words), and an alignment may jump ahead in the query to start another segment at a
/// fixed cost, so a passage whose sentences were shuffled, or one that quotes several outputs, still adds up.
/// <para>
/// Why order: a copy with 30% of its words edited keeps ~70% of its content words in their order, with short gaps; another
/// model's answer to the same question shares topic words but in another order, so its matches are scattered and the
/// gaps between them cost more than the matches earn. Each candidate is scored on its own best region of the query.
/// </para>
/// </summary>
internal sealed class AlignmentScorer(double gapPenalty, double jumpPenalty, double mismatchPenalty)
{
    private readonly float _gap = (float)gapPenalty;
    private readonly float _mismatch = (float)mismatchPenalty;
    private readonly float _jump = (float)jumpPenalty;

    /// <summary>Best alignment score, and the share of the aligned stored span that matched.</summary>
    /// <param name="query">Query codes (names flagged).</param>
    /// <param name="stored">Stored codes (names and prompt words flagged).</param>
    /// <param name="weights">Match weight per stored position (null = 1 for all, 0 for prompt words).</param>
    public (double Score, double MatchedFraction, int QueryStart, int QueryEnd) Score(ReadOnlySpan<ushort> query, ReadOnlySpan<ushort> stored, ReadOnlySpan<float> weights = default)
    {
        var n = stored.Length;
        if (n == 0 || query.IsEmpty) return (0, 0, 0, 0);
        // Row state per stored column: score, matched words and stored span of the best path ending there.
        var h = new float[n + 1];
        var matched = new int[n + 1];
        var span = new int[n + 1];
        var origin = new int[n + 1];
        var gapStored = new float[n];
        for (var j = 0; j < n; j++) gapStored[j] = (stored[j] & WordSequencer.SoftMask) != 0 ? 0f : _gap;

        float best = 0;
        int bestMatched = 0, bestSpan = 0, bestOrigin = 0, bestEnd = 0;
        for (var i = 0; i < query.Length; i++)
        {
            var q = query[i];
            var qHash = q & WordSequencer.HashMask;
            var gapQuery = (q & WordSequencer.SoftMask) != 0 ? 0f : _gap;
            // Starting a new segment: from nothing, or after the best alignment so far (earlier in the query) at a cost.
            var restart = best - _jump;
            float start;
            int startMatched, startSpan, startOrigin;
            if (restart > 0) { start = restart; startMatched = bestMatched; startSpan = bestSpan; startOrigin = bestOrigin; }
            else { start = 0; startMatched = 0; startSpan = 0; startOrigin = i; }

            // Left neighbour (same row) and diagonal (previous row, previous column).
            float diag = h[0], left = start;
            int diagMatched = matched[0], diagSpan = span[0], diagOrigin = origin[0], leftMatched = startMatched, leftSpan = startSpan, leftOrigin = startOrigin;
            h[0] = start; matched[0] = startMatched; span[0] = startSpan; origin[0] = startOrigin;
            for (var j = 1; j <= n; j++)
            {
                var s = stored[j - 1];
                // Up: skip this query word.
                var value = h[j] - gapQuery;
                int m = matched[j], sp = span[j], o = origin[j];
                if (start > value) { value = start; m = startMatched; sp = startSpan; o = startOrigin; }
                // Left: skip this stored word.
                var fromLeft = left - gapStored[j - 1];
                if (fromLeft > value) { value = fromLeft; m = leftMatched; sp = leftSpan + 1; o = leftOrigin; }
                if ((s & WordSequencer.HashMask) != qHash)
                {
                    // Substitution: both sides advance past a word that differs (a synonym in place of a word).
                    var fromSub = diag - Math.Min(_mismatch, gapQuery + gapStored[j - 1]);
                    if (fromSub > value) { value = fromSub; m = diagMatched; sp = diagSpan + 1; o = diagOrigin; }
                }
                else
                {
                    var w = weights.IsEmpty ? ((s & WordSequencer.PromptFlag) != 0 ? 0f : 1f) : weights[j - 1];
                    float from;
                    int om, os, oo;
                    if (diag >= start) { from = diag; om = diagMatched; os = diagSpan; oo = diagOrigin; }
                    else { from = start; om = startMatched; os = startSpan; oo = startOrigin; }
                    var fromDiag = from + w;
                    if (fromDiag >= value) { value = fromDiag; m = om + 1; sp = os + 1; o = oo; }
                }

                diag = h[j]; diagMatched = matched[j]; diagSpan = span[j]; diagOrigin = origin[j];
                h[j] = value; matched[j] = m; span[j] = sp; origin[j] = o;
                left = value; leftMatched = m; leftSpan = sp; leftOrigin = o;
                if (value > best) { best = value; bestMatched = m; bestSpan = sp; bestOrigin = o; bestEnd = i; }
            }
        }

        return (best, bestSpan == 0 ? 0 : Math.Min(1.0, (double)bestMatched / bestSpan), bestOrigin, bestEnd + 1);
    }
}
