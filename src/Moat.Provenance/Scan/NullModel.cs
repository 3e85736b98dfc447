using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace Moat.Provenance.Scan;

/// <summary>
/// What chance alone does: how often a passage that was never served lands on an account, and how unlikely a dataset's
/// count of such landings is. docs/provenance-scan.md derives it.
/// <para>
/// The per-passage rate is an upper confidence bound, not a point estimate: a calibration that saw x false matches in
/// n never-served passages (answers of held-out models to questions the index was asked, the hardest negatives) gives
/// the one-sided 95 % Clopper–Pearson bound, so a small calibration makes the p-values larger, never smaller.
/// </para>
/// </summary>
public sealed class NullModel
{
    private readonly CalibrationPoint[] _table;

    public NullModel(ProvenanceScanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CountThreshold = options.CountThreshold;
        PassageRate = UpperBound(options.NullFalseMatches, options.NullNegatives);
        _table = [.. options.EffectiveCalibration.OrderBy(p => p.Score)];
    }

    /// <summary>Per-passage score at or above which a passage counts towards an account.</summary>
    public double CountThreshold { get; }

    /// <summary>
    /// q: the probability that one never-served passage scores at least <see cref="CountThreshold"/> on a given account
    /// (bounded by the probability that it does on any account: false matches concentrate on the account that asked the
    /// same question, so the account's share of the index is not used to shrink it).
    /// </summary>
    public double PassageRate { get; }

    /// <summary>P(X ≥ matched) for X ~ Binomial(passages, q): the chance of this many landings on one account by chance.</summary>
    public double PValue(long matched, long passages) => UpperTail(matched, passages, PassageRate);

    /// <summary>Expected landings on one account among this many never-served passages.</summary>
    public double ExpectedByChance(long passages) => passages * PassageRate;

    /// <summary>
    /// The calibrated chance that a never-served passage scores at least this much on some account: the bound at the
    /// highest calibrated score not above it (1 below the lowest).
    /// </summary>
    public double FalseMatchProbability(double score)
    {
        var probability = 1.0;
        foreach (var point in _table)
        {
            if (point.Score > score) break;
            probability = UpperBound(point.FalseMatches, point.Negatives);
        }

        return probability;
    }

    /// <summary>P(X ≥ k) for X ~ Binomial(n, p), accurate in the far tail (regularised incomplete beta I_p(k, n−k+1)).</summary>
    public static double UpperTail(long k, long n, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (k <= 0) return 1.0;
        if (k > n) return 0.0;
        if (p <= 0) return 0.0;
        if (p >= 1) return 1.0;
        return Math.Clamp(SpecialFunctions.BetaRegularized(k, n - k + 1, p), 0.0, 1.0);
    }

    /// <summary>One-sided 95 % Clopper–Pearson upper bound on a rate seen as x events in n trials.</summary>
    public static double UpperBound(long events, long trials)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        if (events >= trials) return 1.0;
        return Beta.InvCDF(events + 1, trials - events, 0.95);
    }
}

/// <summary>x of n never-served passages scored at least <see cref="Score"/> on some account.</summary>
public sealed class CalibrationPoint
{
    public double Score { get; set; }
    public long FalseMatches { get; set; }
    public long Negatives { get; set; }
}
