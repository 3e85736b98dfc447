using Moat.Provenance.Scan;

namespace Moat.Provenance.Tests;

public sealed class NullModelTests
{
    [Theory]
    [InlineData(0, 10, 0.1)]
    [InlineData(1, 10, 0.1)]
    [InlineData(5, 40, 0.01)]
    [InlineData(20, 80, 0.005)]
    [InlineData(40, 80, 0.003)]
    [InlineData(3, 100_000, 0.00001)]
    [InlineData(150, 100_000, 0.001)]
    public void UpperTail_EqualsTheBinomialSumComputedInLogSpace(long k, long n, double p)
    {
        var expected = LogSpaceTail(k, n, p);
        var actual = NullModel.UpperTail(k, n, p);
        Assert.True(Math.Abs(actual - expected) <= 1e-9 * expected + 1e-300, $"P(X >= {k}) for Bin({n}, {p}): {actual} vs {expected}");
    }

    [Fact]
    public void UpperTail_Edges()
    {
        Assert.Equal(1.0, NullModel.UpperTail(0, 50, 0.01));
        Assert.Equal(0.0, NullModel.UpperTail(51, 50, 0.01));
        Assert.Equal(0.0, NullModel.UpperTail(1, 50, 0.0));
        Assert.Equal(Math.Pow(0.01, 50), NullModel.UpperTail(50, 50, 0.01), 1e-110);
    }

    [Fact]
    public void UpperBound_IsTheClopperPearsonBound()
    {
        // No events in n trials: 1 - 0.05^(1/n), the "rule of three" in its exact form.
        Assert.Equal(1 - Math.Pow(0.05, 1.0 / 100), NullModel.UpperBound(0, 100), 1e-9);
        // x events: the rate at which seeing at most x has probability 5 %.
        var bound = NullModel.UpperBound(12, 3_000);
        Assert.Equal(0.05, 1 - NullModel.UpperTail(13, 3_000, bound), 1e-6);
        Assert.True(bound > 12 / 3_000.0);
        Assert.Equal(1.0, NullModel.UpperBound(5, 5));
    }

    /// <summary>
    /// Kolmogorov–Smirnov on simulated nulls: with the true rate, the randomised tail probability
    /// P(X > k) + U·P(X = k) is exactly uniform, so an off-by-one or a wrong tail in UpperTail shows up here.
    /// </summary>
    [Theory]
    [InlineData(80, 0.01)]
    [InlineData(40, 0.05)]
    [InlineData(1_000, 0.002)]
    public void RandomisedPValuesOfSimulatedNullsAreUniform(int n, double q)
    {
        var random = new Random(20261207);
        const int trials = 4_000;
        var values = new double[trials];
        for (var t = 0; t < trials; t++)
        {
            var k = Binomial(random, n, q);
            var atOrAbove = NullModel.UpperTail(k, n, q);
            var above = NullModel.UpperTail(k + 1, n, q);
            values[t] = above + random.NextDouble() * (atOrAbove - above);
        }

        Array.Sort(values);
        var d = 0.0;
        for (var i = 0; i < trials; i++) d = Math.Max(d, Math.Max((i + 1.0) / trials - values[i], values[i] - (double)i / trials));
        // Critical value of the two-sided KS test at alpha = 0.001.
        Assert.True(d < 1.95 / Math.Sqrt(trials), $"KS D = {d:F4} for Bin({n}, {q})");
    }

    /// <summary>
    /// The model as shipped: a calibration measures x of n never-served passages; datasets of never-served passages land
    /// at the true rate. Its p-values (from the upper confidence bound) must never be smaller than uniform: P(p ≤ α) ≤ α.
    /// </summary>
    [Theory]
    [InlineData(0.002, 80)]
    [InlineData(0.01, 40)]
    [InlineData(0.03, 200)]
    public void PValuesFromTheCalibratedBoundAreConservativeOnNullData(double trueRate, int passages)
    {
        var random = new Random(7);
        const int calibrations = 40;
        const int datasets = 500;
        var count = 0;
        Span<double> alphas = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5];
        Span<int> below = stackalloc int[alphas.Length];
        for (var c = 0; c < calibrations; c++)
        {
            var negatives = 12_000;
            var model = new NullModel(new ProvenanceScanOptions { NullNegatives = negatives, NullFalseMatches = Binomial(random, negatives, trueRate) });
            for (var d = 0; d < datasets; d++)
            {
                var p = model.PValue(Binomial(random, passages, trueRate), passages);
                for (var a = 0; a < alphas.Length; a++) if (p <= alphas[a]) below[a]++;
                count++;
            }
        }

        for (var a = 0; a < alphas.Length; a++)
        {
            var share = below[a] / (double)count;
            // One-sided KS band at alpha = 0.001 above the uniform CDF.
            Assert.True(share <= alphas[a] + 1.86 / Math.Sqrt(count), $"P(p <= {alphas[a]}) = {share:F4}");
        }
    }

    [Fact]
    public void FalseMatchProbability_IsTheBoundAtTheHighestCalibratedScoreReached()
    {
        var model = new NullModel(new ProvenanceScanOptions
        {
            FalseMatchCalibration =
            [
                new() { Score = 20, FalseMatches = 1, Negatives = 10_000 },
                new() { Score = 10, FalseMatches = 50, Negatives = 10_000 },
            ],
        });
        Assert.Equal(1.0, model.FalseMatchProbability(5));
        Assert.Equal(NullModel.UpperBound(50, 10_000), model.FalseMatchProbability(10));
        Assert.Equal(NullModel.UpperBound(50, 10_000), model.FalseMatchProbability(19.9));
        Assert.Equal(NullModel.UpperBound(1, 10_000), model.FalseMatchProbability(35));
    }

    [Fact]
    public void Options_RejectImpossibleCalibrations()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NullModel(new ProvenanceScanOptions { NullFalseMatches = 10, NullNegatives = 5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NullModel(new ProvenanceScanOptions { Significance = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NullModel(new ProvenanceScanOptions { FalseMatchCalibration = [new() { Score = 1, FalseMatches = 3, Negatives = 2 }] }));
    }

    private static double LogSpaceTail(long k, long n, double p)
    {
        if (k <= 0) return 1;
        // log of the k-th term, then sum the terms from k up, relative to the first.
        var log = k * Math.Log(p) + (n - k) * Math.Log(1 - p);
        for (long i = 0; i < k; i++) log += Math.Log(n - i) - Math.Log(i + 1);
        double sum = 0, term = 1;
        for (var j = k; j <= n && term > 1e-18 * sum; j++)
        {
            sum += term;
            term *= (double)(n - j) / (j + 1) * p / (1 - p);
        }

        return Math.Exp(log + Math.Log(sum));
    }

    private static int Binomial(Random random, int n, double p)
    {
        var k = 0;
        for (var i = 0; i < n; i++) if (random.NextDouble() < p) k++;
        return k;
    }
}
