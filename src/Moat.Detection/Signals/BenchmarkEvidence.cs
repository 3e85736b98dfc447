using Moat.Detection.Sketches;

namespace Moat.Detection.Signals;

/// <summary>
/// Benchmark-shaped prompts (by structure) and near-copies of known benchmark items, for one organisation. Two readings:
/// the <b>share</b> of benchmark-shaped requests (a content cue, decayed like the others) and the <b>coverage</b>: how
/// many distinct benchmark items the organisation has had answered in one-shot requests, plus re-samples of items
/// already asked. A spot check is tens of items once; a harvest is hundreds to thousands, often re-sampled.
/// </summary>
public sealed class BenchmarkEvidence
{
    public const string Name = "benchmark_match";
    public const string CoverageName = "benchmark_coverage";
    public const double BaseRate = 0.03;
    public const double FullRate = 0.25;

    /// <summary>Distinct items a spot check or a one-off evaluation may reach without coverage counting.</summary>
    public const double CoverageAllowance = 80;

    /// <summary>Items beyond the allowance that give 63% coverage strength.</summary>
    public const double CoverageScale = 120;

    private const int ExampleCapacity = 8;

    private readonly long[] _styleHits = new long[4];
    private readonly HyperLogLog _distinctKnown = new(6);
    private readonly HyperLogLog _distinctShaped = new(8);
    private readonly List<string> _examples = new(ExampleCapacity);

    /// <summary>Decayed count of requests.</summary>
    public double Total { get; private set; }

    /// <summary>Decayed count of benchmark-shaped or known-item requests.</summary>
    public double Hits { get; private set; }

    public long AllTimeHits { get; private set; }
    public long KnownItemHits { get; private set; }

    /// <summary>One-shot re-samples of a benchmark item already asked (at temperature or with n &gt; 1).</summary>
    public long Resamples { get; private set; }

    public void Decay(double factor)
    {
        Hits *= factor;
        Total *= factor;
    }

    /// <summary>Counts one request; <paramref name="oneShot"/> requests alone add coverage.</summary>
    public bool Observe(RequestAnalysis analysis, bool oneShot, bool novel, bool resampled)
    {
        Total++;
        var styleHit = analysis.BenchmarkStyleScore >= BenchmarkStyleCue.HitThreshold;
        if (styleHit)
        {
            _styleHits[(int)analysis.BenchmarkStyle]++;
        }
        var known = analysis.BenchmarkMatch;
        if (!styleHit && known is null)
        {
            return false;
        }
        Hits++;
        AllTimeHits++;
        if (known is not null)
        {
            KnownItemHits++;
            if (_examples.Count < ExampleCapacity && !_examples.Contains(known.ItemId))
            {
                _examples.Add(known.ItemId);
            }
        }
        if (oneShot)
        {
            if (novel)
            {
                _distinctShaped.Add(analysis.PromptHash);
                if (known is not null)
                {
                    _distinctKnown.Add(Text.StableHash.Of(known.ItemId));
                }
            }
            else if (resampled)
            {
                Resamples++;
            }
        }
        return true;
    }

    public double Value => ContentEvidence.Strength(Hits, Total, BaseRate, FullRate);

    /// <summary>
    /// Distinct benchmark items taken one-shot, with re-samples counted as the extraction mass counts them
    /// (<see cref="ExtractionVolume.ResampleWeight"/>, up to <see cref="ExtractionVolume.ResamplesPerItem"/> per distinct item) (a worksheet re-asked by a whole school is twenty items, not six
    /// thousand; a suite sampled ten times at temperature counts one and a half times its size).
    /// </summary>
    public double Items
    {
        get
        {
            var distinct = Math.Max(_distinctShaped.Estimate(), _distinctKnown.Estimate());
            return distinct + ExtractionVolume.ResampleWeight * Math.Min(Resamples, ExtractionVolume.ResamplesPerItem * distinct);
        }
    }

    /// <summary>Strength of <paramref name="items"/> taken by <paramref name="accounts"/> organisations, each with its own allowance.</summary>
    public static double CoverageStrength(double items, int accounts = 1)
    {
        var allowance = CoverageAllowance * Math.Max(1, accounts);
        return items <= allowance ? 0 : 1 - Math.Exp(-(items - allowance) / CoverageScale);
    }

    internal HyperLogLog DistinctShaped => _distinctShaped;
    internal HyperLogLog DistinctKnown => _distinctKnown;

    internal void Restore(double hits, double total, long allTime, long known, long resamples)
    {
        Hits = hits;
        Total = total;
        AllTimeHits = allTime;
        KnownItemHits = known;
        Resamples = resamples;
    }

    public SignalReading Read()
    {
        var evidence = $"{Hits:F0} of {Total:F0} recent requests are benchmark-shaped (word problems {_styleHits[(int)BenchmarkStyle.MathWordProblem]}, " +
            $"code tasks {_styleHits[(int)BenchmarkStyle.CodeCompletion]}, multiple choice {_styleHits[(int)BenchmarkStyle.MultipleChoice]} in all); " +
            $"{KnownItemHits} nearly copy known items" + (_examples.Count > 0 ? $", e.g. {string.Join(", ", _examples)}." : ".");
        return new SignalReading(Name, SignalKind.Content, Value, (long)Math.Round(Hits), (long)Math.Round(Total), evidence, new Dictionary<string, object>
        {
            ["requests"] = Math.Round(Total, 1),
            ["benchmark_shaped"] = Math.Round(Hits, 1),
            ["all_time_benchmark_shaped"] = AllTimeHits,
            ["math_word_problems"] = _styleHits[(int)BenchmarkStyle.MathWordProblem],
            ["code_tasks"] = _styleHits[(int)BenchmarkStyle.CodeCompletion],
            ["multiple_choice"] = _styleHits[(int)BenchmarkStyle.MultipleChoice],
            ["known_item_matches"] = KnownItemHits,
            ["matched_items"] = _examples.ToArray(),
        });
    }

    public SignalReading ReadCoverage(double gate)
    {
        var items = Items;
        var value = gate * CoverageStrength(items);
        var evidence = $"~{items:F0} distinct benchmark items taken in one-shot requests (~{_distinctKnown.Estimate():F0} known items, {Resamples} re-samples); " +
            $"a spot check stays under {CoverageAllowance:F0}.";
        return new SignalReading(CoverageName, SignalKind.Volume, value, (long)Math.Round(items), (long)Math.Round(Total), evidence, new Dictionary<string, object>
        {
            ["distinct_items"] = Math.Round(items, 0),
            ["distinct_known_items"] = Math.Round(_distinctKnown.Estimate(), 0),
            ["resamples"] = Resamples,
            ["allowance"] = CoverageAllowance,
            ["conversation_gate"] = Math.Round(gate, 3),
        });
    }
}
