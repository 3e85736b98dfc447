using BenchmarkDotNet.Attributes;

namespace Moat.Provenance.Benchmarks;

/// <summary>
/// Verification's inner loop: aligning one query against one candidate (search verifies up to 64 per query). Round 4 added
/// a substitution move (<c>MismatchPenalty = 2</c> scores as round 3 did, the move's branch still evaluated) and splits the
/// alignment in two: the score alone, for every candidate, and the score with the matched fraction, for reported ones.
/// </summary>
[MemoryDiagnoser]
public class AlignmentBenchmarks
{
    private ushort[] _query = [];
    private ushort[] _stored = [];
    private readonly AlignmentScorer _round4 = new(1, 8, 0.5);
    private readonly AlignmentScorer _round3 = new(1, 8, 2);

    [GlobalSetup]
    public void Setup()
    {
        _stored = WordSequencer.Encode(TextNormalizer.Normalize(SampleOutputs.Texts[1]), 2048);
        var random = new Random(1);
        _query = [.. _stored.Select(c => random.NextDouble() < 0.3 ? (ushort)random.Next(1, WordSequencer.HashMask) : c)];
    }

    [Benchmark(Baseline = true)]
    public double ScoreAndFraction() => _round4.ScoreAndFraction(_query, _stored).Score;

    [Benchmark]
    public double ScoreOnly() => _round4.Score(_query, _stored);

    [Benchmark]
    public double ScoreOnlyWithoutSubstitutions() => _round3.Score(_query, _stored);
}
