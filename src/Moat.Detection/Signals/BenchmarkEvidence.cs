using Moat.Detection.Sketches;

namespace Moat.Detection.Signals;

/// <summary>Benchmark-shaped prompts (by structure) and near-copies of known benchmark items, for one organisation.</summary>
public sealed class BenchmarkEvidence
{
    public const string Name = "benchmark_match";
    public const double StyleBaseRate = 0.03;
    public const double StyleFullRate = 0.2;
    public const double StyleScale = 40;
    public const double IndexBaseRate = 0.002;
    public const double IndexFullRate = 0.02;
    public const double IndexScale = 10;
    private const int ExampleCapacity = 8;

    private readonly long[] _styleHits = new long[4];
    private readonly HyperLogLog _distinctItems = new(6);
    private readonly List<string> _examples = new(ExampleCapacity);

    public long Total { get; private set; }
    public long StyleHits { get; private set; }
    public long IndexHits { get; private set; }

    /// <summary>Requests that look like a benchmark item by structure or by lookup.</summary>
    public long Hits => StyleHits + _indexOnlyHits;
    private long _indexOnlyHits;

    public void Observe(RequestAnalysis analysis)
    {
        Total++;
        var styleHit = analysis.BenchmarkStyleScore >= BenchmarkStyleCue.HitThreshold;
        if (styleHit)
        {
            StyleHits++;
            _styleHits[(int)analysis.BenchmarkStyle]++;
        }
        if (analysis.BenchmarkMatch is { } match)
        {
            IndexHits++;
            if (!styleHit)
            {
                _indexOnlyHits++;
            }
            _distinctItems.Add(Text.StableHash.Of(match.ItemId));
            if (_examples.Count < ExampleCapacity && !_examples.Contains(match.ItemId))
            {
                _examples.Add(match.ItemId);
            }
        }
    }

    public double Value => Strength(Hits, IndexHits, Total);

    public static double Strength(long hits, long indexHits, long total) => Math.Max(
        ExcessEvidence.Strength(hits, total, StyleBaseRate, StyleFullRate, StyleScale),
        ExcessEvidence.Strength(indexHits, total, IndexBaseRate, IndexFullRate, IndexScale));

    public SignalReading Read()
    {
        var distinct = IndexHits == 0 ? 0 : (long)Math.Round(_distinctItems.Estimate());
        var evidence = $"{Hits} of {Total} requests are benchmark-shaped (word problems {_styleHits[(int)BenchmarkStyle.MathWordProblem]}, " +
            $"code tasks {_styleHits[(int)BenchmarkStyle.CodeCompletion]}, multiple choice {_styleHits[(int)BenchmarkStyle.MultipleChoice]}); " +
            $"{IndexHits} nearly copy known items (~{distinct} distinct)" +
            (_examples.Count > 0 ? $", e.g. {string.Join(", ", _examples)}." : ".");
        return new SignalReading(Name, SignalKind.Content, Value, Hits, Total, evidence, new Dictionary<string, object>
        {
            ["requests"] = Total,
            ["benchmark_shaped"] = Hits,
            ["math_word_problems"] = _styleHits[(int)BenchmarkStyle.MathWordProblem],
            ["code_tasks"] = _styleHits[(int)BenchmarkStyle.CodeCompletion],
            ["multiple_choice"] = _styleHits[(int)BenchmarkStyle.MultipleChoice],
            ["known_item_matches"] = IndexHits,
            ["distinct_known_items"] = distinct,
            ["matched_items"] = _examples.ToArray(),
        });
    }
}
