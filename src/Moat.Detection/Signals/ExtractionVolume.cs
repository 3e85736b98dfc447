using Moat.Core.Signals;
using Moat.Detection.Sketches;

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

    /// <summary>The weight of a judgement of the sender's own material (<see cref="TransformationCue.IsAssessment"/>).</summary>
    public const double AssessmentWeight = 0.25;

    /// <summary>A re-sample (a prompt sent again, answered afresh) counts as this much of a new one.</summary>
    public const double ResampleWeight = 0.5;

    /// <summary>
    /// Re-samples count up to this many per harvest-shaped request: a class re-asking one worksheet, or a tutoring
    /// product's students re-asking its problem bank, is not a harvest; a harvest of many items re-sampled still doubles.
    /// </summary>
    public const double ResamplesPerItem = 3;

    /// <summary>How many times an ordinary allowance an organisation allow-listed for evaluation gets.</summary>
    public const double EvaluationFactor = 4;

    /// <summary>The most a single request's cues can multiply its weight by.</summary>
    public const double MaxMultiplier = 4;

    /// <summary>Decayed count of requests.</summary>
    public double Requests { get; private set; }

    /// <summary>Decayed count of requests that continue a conversation.</summary>
    public double MultiTurn { get; private set; }

    /// <summary>Decayed count of one-shot requests that added weight (new or re-sampled): each may open a conversation.</summary>
    public double Openers => _classOpeners.Sum();

    /// <summary>Decayed count of conversations continued after a counted opening: those openings were conversation, not harvest.</summary>
    public double Continued => _classContinued.Sum();

    // Openings, their continuations and their mass per class (Opening.ClassOf: cued or not × client profile).
    private readonly double[] _classOpeners = new double[Opening.Classes];
    private readonly double[] _classContinued = new double[Opening.Classes];
    private readonly double[] _classMass = new double[Opening.Classes];

    /// <summary>The part of <see cref="Openers"/>, <see cref="Continued"/> and <see cref="Mass"/> whose cues raised its weight.</summary>
    public double CuedOpeners => CuedSum(_classOpeners);

    public double CuedContinued => CuedSum(_classContinued);

    public double CuedMass => CuedSum(_classMass);

    private static double CuedSum(double[] values)
    {
        var sum = 0.0;
        for (var c = Opening.Classes / 2; c < Opening.Classes; c++)
        {
            sum += values[c];
        }
        return sum;
    }

    /// <summary>Per class: openings, continuations, mass (for checkpoints).</summary>
    internal IEnumerable<double> ClassState => [.. _classOpeners, .. _classContinued, .. _classMass];

    /// <summary>Decayed count of harvest-shaped requests (one-shot, novel, answer-seeking).</summary>
    public double Harvested { get; private set; }

    /// <summary>Decayed, cue-weighted mass of the harvest-shaped requests.</summary>
    public double Mass { get; private set; }

    /// <summary>The same mass without benchmark items (for organisations allowed to evaluate on benchmarks).</summary>
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
        for (var c = 0; c < Opening.Classes; c++)
        {
            _classOpeners[c] *= factor;
            _classContinued[c] *= factor;
            _classMass[c] *= factor;
        }
        Harvested *= factor;
        Mass *= factor;
        MassWithoutBenchmarks *= factor;
        Resampled *= factor;
    }

    /// <summary>The weight of a one-shot novel request before its cues: what the answer is worth keeping.</summary>
    /// <param name="topicSpread">
    /// How evenly the organisation's requests cover the topic areas (<see cref="TopicCoverageSweep.Value"/>): a verdict
    /// on one product's transcripts is quality assurance, verdicts on text about every subject are a dataset of verdicts.
    /// </param>
    public static double BaseWeight(RequestFeatures features, RequestAnalysis analysis, bool cued, double topicSpread = 0)
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
        // A label asked of the sender's own material, deterministically and once, is a label. A benchmark item's answer
        // key, or labels sampled many times at temperature, is what a harvest takes (coverage weighs benchmarks too).
        if (analysis.LabelOnly && features.N <= 1 && features.Temperature is < 0.5
            && analysis.BenchmarkStyleScore < BenchmarkStyleCue.HitThreshold && analysis.BenchmarkMatch is null)
        {
            return 0.1;
        }
        if (analysis.Transformation)
        {
            return 0; // the answer is the sender's own material, transformed
        }
        if (analysis.Assessment)
        {
            return AssessmentWeight + (1 - AssessmentWeight) * Math.Clamp(topicSpread, 0, 1); // a verdict on the sender's own material
        }
        if (!cued && analysis.TokenCount > DocumentWords)
        {
            return 0.25;
        }
        return 1;
    }

    /// <summary>Decayed mass of re-samples (bounded by <see cref="ResamplesPerItem"/> per harvest-shaped request).</summary>
    public double Resampled { get; private set; }

    /// <summary>The mean weight a counted opening added (for continuations that cannot be matched to their opening).</summary>
    public Opening AverageOpening => Openers <= 0
        ? default
        : new Opening(Math.Min(MaxMultiplier, Mass / Openers), Array.IndexOf(_classMass, _classMass.Max()));

    /// <summary>
    /// Counts one request. A conversation's continuation takes back the weight its <paramref name="opening"/> added:
    /// that opening was a conversation, not a harvest. Returns what a harvest-shaped request (new or a re-sample) added
    /// (weight 0 otherwise), to be remembered with its reply.
    /// </summary>
    public Opening Observe(RequestFeatures features, RequestAnalysis analysis, bool oneShot, bool novel, bool resampled, in RequestCues cues,
        Opening opening = default, double topicSpread = 0)
    {
        Requests++;
        if (!oneShot)
        {
            MultiTurn++;
            if (opening.Weight > 0)
            {
                var before = Mass;
                Mass = Math.Max(0, Mass - opening.Weight);
                MassWithoutBenchmarks = before <= 0 ? 0 : MassWithoutBenchmarks * (Mass / before);
                _classContinued[opening.Class]++;
                _classMass[opening.Class] = Math.Max(0, _classMass[opening.Class] - opening.Weight);
            }
            return default;
        }
        // n choices are n answers taken: weighed by √n (at most 3), so re-sampling through n counts without one
        // request for eight drafts outweighing eight questions.
        var weight = BaseWeight(features, analysis, cues.Any, topicSpread) * Math.Sqrt(Math.Clamp(features.N, 1, 9));
        if (weight <= 0)
        {
            return default;
        }
        if (!novel)
        {
            if (!resampled || Resampled >= ResamplesPerItem * Harvested)
            {
                return default;
            }
            weight *= ResampleWeight;
            Resampled += weight;
        }
        else
        {
            Harvested += weight;
            AllTimeHarvested++;
        }
        var outputMaximising = features.Logprobs || cues.MaxTokensAtCap;
        var common = (cues.Instruction ? 1.5 : 0) + (cues.Reasoning ? 1.0 : 0) + (outputMaximising ? 0.5 : 0);
        var benchmark = (cues.BenchmarkShaped ? 1.0 : 0) + (cues.KnownItem ? 1.5 : 0);
        var multiplier = Math.Min(MaxMultiplier, 1 + common + benchmark);
        Mass += weight * multiplier;
        var cls = Opening.ClassOf(multiplier > 1, Opening.ProfileOf(features.SystemPrompt, features.MaxTokens, features.Temperature, features.N));
        _classOpeners[cls]++;
        _classMass[cls] += weight * multiplier;
        if (multiplier > 1 || _examples.Count < ExampleCapacity)
        {
            if (_examples.Count == ExampleCapacity)
            {
                _examples.Dequeue();
            }
            _examples.Enqueue(features.RequestId);
        }
        // An organisation allowed to evaluate on benchmarks takes nothing by running them: benchmark items weigh 0 in its mass.
        if (!cues.BenchmarkShaped && !cues.KnownItem)
        {
            MassWithoutBenchmarks += weight * Math.Min(MaxMultiplier, 1 + common);
        }
        return new Opening(weight * multiplier, cls);
    }

    /// <summary>
    /// How much of a class of openings (cued or not) counts, from how often that class is followed up: 1 when never,
    /// 0 when 40% or more of them open a conversation. A product's users follow up what they ask whatever its wording;
    /// a harvest hidden in chat is the cued part nobody follows up while the chat around it is.
    /// </summary>
    public static double FollowUpGate(double continued, double openers) =>
        openers <= 0 ? 1 : Math.Clamp(1 - 2.5 * continued / openers, 0, 1);

    /// <summary>
    /// The mass that stayed alone: openings that turned into conversations took their weight back, and each class
    /// (cued, uncued) is weighed by how often it is followed up (<see cref="FollowUpGate"/>).
    /// </summary>
    public double Kept(bool benchmarksAllowed)
    {
        double kept = 0, held = 0;
        for (var c = 0; c < Opening.Classes; c++)
        {
            var gate = FollowUpGate(_classContinued[c], _classOpeners[c]);
            kept += _classMass[c] * gate;
            held += _classMass[c] * (1 - gate);
        }
        kept += SemanticRelease * held;
        kept = Math.Min(kept, Mass);
        // An organisation allow-listed for evaluation runs large batches by design: its non-benchmark mass counts a quarter
        // (four times the allowance); a harvest beyond that still shows.
        return benchmarksAllowed && Mass > 0 ? kept * (MassWithoutBenchmarks / Mass) / EvaluationFactor : kept;
    }

    /// <summary>The mass the follow-up gates hold back: what a class's follow-ups discount beyond the openings they continued.</summary>
    public double GatedAway
    {
        get
        {
            var held = 0.0;
            for (var c = 0; c < Opening.Classes; c++)
            {
                held += _classMass[c] * (1 - FollowUpGate(_classContinued[c], _classOpeners[c]));
            }
            return held;
        }
    }

    /// <summary>
    /// The share of <see cref="GatedAway"/> counted after all (0–1): the never-followed openings that are about something
    /// else than the followed ones (<see cref="Semantic.SemanticContrast.Release"/>), a second population of the
    /// organisation's traffic that nobody follows up, weighed as a harvest run from a code path of its own would be.
    /// </summary>
    public double SemanticRelease { get; internal set; }

    /// <summary>The cued class's follow-up gate (benchmark coverage is cued by definition).</summary>
    public double CuedGate => FollowUpGate(CuedContinued, CuedOpeners);

    /// <summary>
    /// Strength of a kept <paramref name="mass"/> taken by <paramref name="accounts"/> organisations, each with its own allowance.
    /// </summary>
    public static double Strength(double mass, int accounts = 1)
    {
        var allowance = Allowance * Math.Max(1, accounts);
        return mass <= allowance ? 0 : 1 - Math.Exp(-(mass - allowance) / Scale);
    }

    public double Value(bool benchmarksAllowed) => Strength(Kept(benchmarksAllowed));

    internal void Restore(double requests, double multiTurn, double harvested, double resampled, double mass, double massWithoutBenchmarks, long allTime,
        IReadOnlyList<double>? classState)
    {
        if (classState is { Count: 3 * Opening.Classes })
        {
            for (var c = 0; c < Opening.Classes; c++)
            {
                _classOpeners[c] = classState[c];
                _classContinued[c] = classState[Opening.Classes + c];
                _classMass[c] = classState[2 * Opening.Classes + c];
            }
        }
        else
        {
            // Written before openings had classes: every harvest-shaped request in the uncued class, never followed up.
            _classOpeners[0] = harvested;
            _classMass[0] = mass;
        }
        Resampled = resampled;
        Requests = requests;
        MultiTurn = multiTurn;
        Harvested = harvested;
        Mass = mass;
        MassWithoutBenchmarks = massWithoutBenchmarks;
        AllTimeHarvested = allTime;
    }

    public SignalReading Read(bool benchmarksAllowed, Semantic.SemanticContrast? semantic = null)
    {
        var mass = benchmarksAllowed ? MassWithoutBenchmarks : Mass;
        var kept = Kept(benchmarksAllowed);
        var details = new Dictionary<string, object>
        {
            ["requests"] = Math.Round(Requests, 1),
            ["harvest_shaped"] = Math.Round(Harvested, 1),
            ["all_time_harvest_shaped"] = AllTimeHarvested,
            ["mass"] = Math.Round(mass, 1),
            ["kept_mass"] = Math.Round(kept, 1),
            ["gated_mass"] = Math.Round(GatedAway, 1),
            ["allowance"] = Allowance,
            ["multi_turn"] = Math.Round(MultiTurn, 1),
            ["openers"] = Math.Round(Openers, 1),
            ["continued"] = Math.Round(Continued, 1),
            ["cued_openers"] = Math.Round(CuedOpeners, 1),
            ["cued_continued"] = Math.Round(CuedContinued, 1),
            ["example_request_ids"] = ExampleRequestIds.ToArray(),
        };
        var contrast = "";
        if (semantic is not null)
        {
            details["semantic_followed_sampled"] = semantic.Followed;
            details["semantic_never_followed_sampled"] = semantic.Never;
            details["semantic_unlike"] = semantic.Unlike;
            details["semantic_mean_shift"] = Math.Round(semantic.Shift, 4);
            details["semantic_p_value"] = Math.Round(semantic.PValue, 4);
            details["semantic_release"] = Math.Round(semantic.Release, 3);
            contrast = semantic.Release > 0
                ? $" The openings nobody followed up are about something else than those that were: in sentence-embedding space {semantic.Unlike} of {semantic.Never} sampled are unlike all {semantic.Followed} followed ones and their mean lies {semantic.Shift:F3} apart (p = {semantic.PValue:F3}), so {semantic.Release:P0} of the {GatedAway:F0} the follow-ups would discount counts."
                : "";
        }
        return new SignalReading(Name, SignalKind.Volume, Value(benchmarksAllowed), (long)Math.Round(Harvested), (long)Math.Round(Requests),
            $"{Harvested:F0} of {Requests:F0} recent requests (decayed) were one-shot, new and answer-seeking ({AllTimeHarvested} in all); " +
            $"weighted by their cues and less what opened real conversations they amount to {mass:F0}, of which {kept:F0} count against an allowance of {Allowance:F0}" +
            (Continued > 0
                ? $" ({Continued / Math.Max(1, Openers):P0} of the one-shot requests were followed up: cued ones {CuedContinued / Math.Max(1, CuedOpeners):P0}, others {Math.Max(0, Continued - CuedContinued) / Math.Max(1, Openers - CuedOpeners):P0})."
                : "; none was followed up in a conversation the gateway served.") + contrast,
            details);
    }
}

/// <summary>The content cues one request carried, as read by the tenant's evidence.</summary>
public readonly record struct RequestCues(bool Instruction, bool Reasoning, bool BenchmarkShaped, bool KnownItem, bool MaxTokensAtCap)
{
    public bool Any => Instruction || Reasoning || BenchmarkShaped || KnownItem;
}
