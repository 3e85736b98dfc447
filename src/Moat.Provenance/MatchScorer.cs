namespace Moat.Provenance;

/// <summary>
/// Verification: given where in the query a candidate's fingerprints matched, finds the densest run of matches and
/// scores it as -log10 of the Chernoff bound exp(-n·KL(f‖p0)) on an unrelated output sharing a fraction f of n
/// fingerprints when it shares p0 on average. Each candidate is scored on its own span, so a passage concatenated from
/// many outputs attributes every one of them instead of diluting each by the total length.
/// </summary>
internal sealed class MatchScorer(double backgroundRate, int minSpan, int clusterGap)
{
    private static readonly double Ln10 = Math.Log(10);

    public (double Score, double MatchedFraction) Score(ReadOnlySpan<int> positions, int queryLength)
    {
        if (positions.IsEmpty) return (0, 0);
        Span<Cluster> clusters = positions.Length <= 256 ? stackalloc Cluster[positions.Length] : new Cluster[positions.Length];
        var count = 0;
        var current = new Cluster(positions[0], positions[0], 1);
        for (var i = 1; i < positions.Length; i++)
        {
            if (positions[i] - current.End > clusterGap)
            {
                clusters[count++] = current;
                current = new Cluster(positions[i], positions[i], 1);
            }
            else
            {
                current = current with { End = positions[i], Matches = current.Matches + 1 };
            }
        }

        clusters[count++] = current;

        var floor = Math.Min(minSpan, queryLength);
        var bestScore = 0.0;
        var bestFraction = 0.0;
        // Any contiguous run of clusters may be the excerpt; there are few clusters, so try them all.
        for (var a = 0; a < count; a++)
        {
            var matches = 0;
            for (var b = a; b < count; b++)
            {
                matches += clusters[b].Matches;
                var span = Math.Max(clusters[b].End - clusters[a].Start + 1, floor);
                var fraction = Math.Min(1.0, (double)matches / span);
                var score = span * Divergence(fraction, backgroundRate) / Ln10;
                if (score > bestScore || (score == bestScore && fraction > bestFraction))
                {
                    bestScore = score;
                    bestFraction = fraction;
                }
            }
        }

        return (bestScore, bestFraction);
    }

    /// <summary>KL divergence of Bernoulli(f) from Bernoulli(p), zero when f is at or below p (no evidence).</summary>
    private static double Divergence(double f, double p)
    {
        if (f <= p) return 0;
        var d = f * Math.Log(f / p);
        if (f < 1) d += (1 - f) * Math.Log((1 - f) / (1 - p));
        return d;
    }

    private readonly record struct Cluster(int Start, int End, int Matches);
}
