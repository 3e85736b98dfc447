namespace Moat.Provenance.Eval;

/// <summary>Small statistics the report needs: quantiles and a one-sided binomial upper confidence bound.</summary>
public static class Statistics
{
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(sorted.Count - 1, lower + 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }

    /// <summary>Clopper–Pearson: the largest rate p with P(X ≤ observed | n, p) ≥ 1 − confidence.</summary>
    public static double UpperBound(int observed, int n, double confidence = 0.95)
    {
        if (n == 0) return 1;
        if (observed >= n) return 1;
        double lo = (double)observed / n, hi = 1;
        for (var i = 0; i < 60; i++)
        {
            var mid = (lo + hi) / 2;
            if (BinomialCdf(observed, n, mid) > 1 - confidence) lo = mid;
            else hi = mid;
        }

        return hi;
    }

    private static double BinomialCdf(int k, int n, double p)
    {
        double sum = 0;
        var logP = Math.Log(p);
        var logQ = Math.Log(1 - p);
        for (var i = 0; i <= k; i++) sum += Math.Exp(LogChoose(n, i) + i * logP + (n - i) * logQ);
        return sum;
    }

    private static double LogChoose(int n, int k)
    {
        double s = 0;
        for (var i = 1; i <= k; i++) s += Math.Log(n - k + i) - Math.Log(i);
        return s;
    }
}
