using Moat.Core.Signals;

namespace Moat.Detection.Signals;

/// <summary>
/// How much an organisation has taken: a decayed mass of one-shot, novel, answer-seeking requests (no conversation
/// around them, a prompt the organisation has not sent recently, an answer worth keeping), each weighted up by the
/// cues it carries. This is the evidence every other signal is weighed against: cues and behaviour say what kind of
/// taking it is, the mass says how much. Decayed with the evidence half-life, so a tenant harvesting a fifth of its
/// traffic for days climbs steadily whatever its pacing, and a spot check fades.
/// </summary>
public sealed class ExtractionVolume
{
    public const string Name = "extraction_volume";

    /// <summary>Mass an ordinary customer may reach without it counting.</summary>
    public const double Allowance = 250;

    /// <summary>Mass beyond the allowance that gives 63% strength.</summary>
    public const double Scale = 700;

    /// <summary>Prompts longer than this (words) are mostly material to work on: a translation, a document to summarise.</summary>
    public const int DocumentWords = 400;

    /// <summary>A <c>max_tokens</c> at or below this asks for a label, not an answer worth keeping.</summary>
    public const int LabelMaxTokens = 64;

    /// <summary>A re-sample (a prompt sent again, answered afresh) counts as this much of a new one.</summary>
    public const double ResampleWeight = 0.5;

    /// <summary>
    /// Re-samples count up to this many per harvest-shaped request: a class re-asking one worksheet, or a tutoring
    /// product's students re-asking its problem bank, is not a harvest; a harvest of many items re-sampled still doubles.
    /// </summary>
    public const double ResamplesPerItem = 1;

    /// <summary>The most a single request's cues can multiply its weight by.</summary>
    public const double MaxMultiplier = 4;

    /// <summary>Decayed count of requests.</summary>
    public double Requests { get; private set; }

    /// <summary>Decayed count of requests that continue a conversation.</summary>
    public double MultiTurn { get; private set; }

    /// <summary>Decayed count of harvest-shaped requests (one-shot, novel, answer-seeking).</summary>
    public double Harvested { get; private set; }

    /// <summary>Decayed, cue-weighted mass of the harvest-shaped requests.</summary>
    public double Mass { get; private set; }

    /// <summary>The same mass without the benchmark cues' weight (for organisations allowed to evaluate on benchmarks).</summary>
    public double MassWithoutBenchmarks { get; private set; }

    public long AllTimeHarvested { get; private set; }

    /// <summary>Ids of the latest requests that added the most mass (cited by automatic actions; look them up in the ledger).</summary>
    public IReadOnlyList<string> ExampleRequestIds => [.. _examples];

    private const int ExampleCapacity = 10;
    private readonly Queue<string> _examples = new(ExampleCapacity);

    public void Decay(double factor)
    {
        Requests *= factor;
        MultiTurn *= factor;
        Harvested *= factor;
        Mass *= factor;
        MassWithoutBenchmarks *= factor;
        Resampled *= factor;
    }

    /// <summary>The weight of a one-shot novel request before its cues: what the answer is worth keeping.</summary>
    public static double BaseWeight(RequestFeatures features, RequestAnalysis analysis, bool cued)
    {
        if (features.Status is not 0 and (< 200 or >= 300))
        {
            return 0; // nothing was served (0: not reported, counted as served)
        }
        if (features.MaxTokens is { } max && max <= LabelMaxTokens)
        {
            return 0.1;
        }
        if (features.CompletionTokens is > 0 and < 24)
        {
            return 0.1;
        }
        if (analysis.Transformation)
        {
            return 0; // the answer is the sender's own material, transformed
        }
        if (!cued && analysis.TokenCount > DocumentWords)
        {
            return 0.25;
        }
        return 1;
    }

    /// <summary>Decayed mass of re-samples (bounded by <see cref="ResamplesPerItem"/> per harvest-shaped request).</summary>
    public double Resampled { get; private set; }

    public void Observe(RequestFeatures features, RequestAnalysis analysis, bool oneShot, bool novel, bool resampled, in RequestCues cues)
    {
        Requests++;
        if (!oneShot)
        {
            MultiTurn++;
            return;
        }
        var weight = BaseWeight(features, analysis, cues.Any);
        if (weight <= 0)
        {
            return;
        }
        if (!novel)
        {
            if (!resampled || Resampled >= ResamplesPerItem * Harvested)
            {
                return;
            }
            weight *= ResampleWeight;
            Resampled += weight;
        }
        else
        {
            Harvested += weight;
            AllTimeHarvested++;
        }
        var outputMaximising = features.N > 1 || features.Logprobs || cues.MaxTokensAtCap;
        var common = (cues.Instruction ? 1.5 : 0) + (cues.Reasoning ? 1.0 : 0) + (outputMaximising ? 0.5 : 0);
        var benchmark = (cues.BenchmarkShaped ? 1.0 : 0) + (cues.KnownItem ? 1.5 : 0);
        var multiplier = Math.Min(MaxMultiplier, 1 + common + benchmark);
        Mass += weight * multiplier;
        if (multiplier > 1 || _examples.Count < ExampleCapacity)
        {
            if (_examples.Count == ExampleCapacity)
            {
                _examples.Dequeue();
            }
            _examples.Enqueue(features.RequestId);
        }
        MassWithoutBenchmarks += weight * Math.Min(MaxMultiplier, 1 + common);
    }

    /// <summary>1 with no conversation around the requests, falling to 0 when 40% or more continue a conversation.</summary>
    public static double Gate(double multiTurn, double requests) =>
        requests <= 0 ? 0 : Math.Clamp(1 - 2.5 * multiTurn / requests, 0, 1);

    /// <summary>Strength of <paramref name="mass"/> taken by <paramref name="accounts"/> organisations, each with its own allowance.</summary>
    public static double Strength(double mass, double multiTurn, double requests, int accounts = 1)
    {
        var allowance = Allowance * Math.Max(1, accounts);
        return mass <= allowance ? 0 : Gate(multiTurn, requests) * (1 - Math.Exp(-(mass - allowance) / Scale));
    }

    public double GateValue => Gate(MultiTurn, Requests);

    public double Value(bool benchmarksAllowed) =>
        Strength(benchmarksAllowed ? MassWithoutBenchmarks : Mass, MultiTurn, Requests);

    internal void Restore(double requests, double multiTurn, double harvested, double resampled, double mass, double massWithoutBenchmarks, long allTime)
    {
        Resampled = resampled;
        Requests = requests;
        MultiTurn = multiTurn;
        Harvested = harvested;
        Mass = mass;
        MassWithoutBenchmarks = massWithoutBenchmarks;
        AllTimeHarvested = allTime;
    }

    public SignalReading Read(bool benchmarksAllowed)
    {
        var mass = benchmarksAllowed ? MassWithoutBenchmarks : Mass;
        return new SignalReading(Name, SignalKind.Volume, Value(benchmarksAllowed), (long)Math.Round(Harvested), (long)Math.Round(Requests),
            $"{Harvested:F0} of {Requests:F0} recent requests (decayed) were one-shot, new and answer-seeking ({AllTimeHarvested} in all); " +
            $"weighted by their cues they amount to {mass:F0} against an allowance of {Allowance:F0}" +
            (MultiTurn > 0 ? $"; {MultiTurn / Math.Max(1, Requests):P0} continue conversations (gate {GateValue:F2})." : "; none continue a conversation."),
            new Dictionary<string, object>
            {
                ["requests"] = Math.Round(Requests, 1),
                ["harvest_shaped"] = Math.Round(Harvested, 1),
                ["all_time_harvest_shaped"] = AllTimeHarvested,
                ["mass"] = Math.Round(mass, 1),
                ["allowance"] = Allowance,
                ["multi_turn"] = Math.Round(MultiTurn, 1),
                ["conversation_gate"] = Math.Round(GateValue, 3),
                ["example_request_ids"] = ExampleRequestIds.ToArray(),
            });
    }
}

/// <summary>The content cues one request carried, as read by the tenant's evidence.</summary>
public readonly record struct RequestCues(bool Instruction, bool Reasoning, bool BenchmarkShaped, bool KnownItem, bool MaxTokensAtCap)
{
    public bool Any => Instruction || Reasoning || BenchmarkShaped || KnownItem;
}
