using Moat.Detection.Signals;

namespace Moat.Detection.Scoring;

/// <summary>The signals in a fixed order, for allocation-free scoring.</summary>
public enum SignalId
{
    InstructionGeneration,
    ReasoningElicitation,
    BenchmarkMatch,
    TemplateReuse,
    OutputMaximising,
    QuotaSaturation,
    MachineTiming,
    TopicSweep,
    ReleaseSurge,
    Coordination,
    MultiTurn,
    ExtractionVolume,
    BenchmarkCoverage,
}

/// <summary>
/// How signals combine into a 0–100 score: score = 100·σ(L) with
/// <c>L = b + w_V·volume + w_B·coverage + max(volume, coverage)·(content + behaviour + coordination)</c>.
/// <para>
/// The score weighs how much was taken, not how many cues were seen. <c>volume</c> (<see cref="ExtractionVolume"/>) and
/// <c>coverage</c> (distinct benchmark items, <see cref="BenchmarkEvidence"/>) are the only terms that stand alone; the
/// content cues (capped at <see cref="ContentCap"/>), behaviour (capped at <see cref="BehaviourCap"/>) and coordination
/// multiply with them. With no volume and no coverage every cue and behaviour together leave the score at the
/// baseline: a spot check, a tutoring product's step-by-step questions or a batch job at its cap cannot reach warn on
/// their own. Volume alone reaches at most σ(b + w_V) ≈ 82 (throttle, not a case): a cue-free harvester needs its
/// behaviour or its cues to open a case. Conversation gates both volume terms (<see cref="ExtractionVolume.Gate"/>).
/// </para>
/// Weights were set on the dev population of the simulator and checked on the held-out one (docs/detection.md).
/// </summary>
public static class RiskModel
{
    public const int SignalCount = 13;
    public const double Intercept = -6.0;
    public const double VolumeWeight = 7.5;
    public const double CoverageWeight = 4.0;
    public const double ContentCap = 3.5;
    public const double BehaviourCap = 2.5;
    public const double CoordinationWeight = 2.0;

    public static readonly string[] Names =
    [
        "instruction_generation", "reasoning_elicitation", BenchmarkEvidence.Name, TemplateReuseSignal.Name,
        OutputMaximisingParameters.Name, QuotaSaturation.Name, InterArrivalRegularity.Name, TopicCoverageSweep.Name,
        ReleaseSurge.Name, "cross_tenant_coordination", ConversationShare.Name, ExtractionVolume.Name, BenchmarkEvidence.CoverageName,
    ];

    public static readonly SignalKind[] Kinds =
    [
        SignalKind.Content, SignalKind.Content, SignalKind.Content, SignalKind.Behaviour,
        SignalKind.Behaviour, SignalKind.Behaviour, SignalKind.Behaviour, SignalKind.Behaviour,
        SignalKind.Behaviour, SignalKind.Behaviour, SignalKind.Mitigating, SignalKind.Volume, SignalKind.Volume,
    ];

    /// <summary>Per-signal weights inside their group (volume and coverage: their own weights; multi-turn acts through the gate).</summary>
    public static readonly double[] Weights = [3.0, 2.0, 2.5, 1.5, 1.5, 0.8, 0.8, 0.8, 1.0, CoordinationWeight, 0, VolumeWeight, CoverageWeight];

    public static double BaselineScore { get; } = 100 / (1 + Math.Exp(-Intercept));

    /// <summary>Signal values of one organisation's own traffic.</summary>
    public static void Fill(TenantState s, bool benchmarksAllowed, Span<double> values)
    {
        values[(int)SignalId.InstructionGeneration] = s.InstructionGeneration.Value;
        var reasoning = s.ReasoningElicitation;
        values[(int)SignalId.ReasoningElicitation] = benchmarksAllowed
            ? ContentEvidence.Strength(reasoning.Hits - s.ReasoningOnBenchmarks, reasoning.Total, reasoning.BaseRate, reasoning.FullRate)
            : reasoning.Value;
        values[(int)SignalId.BenchmarkMatch] = benchmarksAllowed ? 0 : s.Benchmark.Value;
        values[(int)SignalId.TemplateReuse] = s.Templates.Value;
        values[(int)SignalId.OutputMaximising] = s.Parameters.Value;
        values[(int)SignalId.QuotaSaturation] = s.Quota.Value;
        values[(int)SignalId.MachineTiming] = s.Timing.Value;
        values[(int)SignalId.TopicSweep] = s.Topics.Value;
        values[(int)SignalId.ReleaseSurge] = s.Release.Value;
        values[(int)SignalId.Coordination] = 0;
        values[(int)SignalId.MultiTurn] = s.Volume.Requests <= 0 ? 0 : s.Volume.MultiTurn / s.Volume.Requests;
        values[(int)SignalId.ExtractionVolume] = s.Volume.Value(benchmarksAllowed);
        values[(int)SignalId.BenchmarkCoverage] = benchmarksAllowed ? 0 : s.Volume.CuedGate * BenchmarkEvidence.CoverageStrength(s.Benchmark.Items);
    }

    /// <summary>
    /// Signal values of a cluster scored as one tenant: what was taken is pooled (mass, coverage and cue counts, so load
    /// spread thin over many accounts still adds up; the volume allowance is one per member), behaviour is the request-weighted mean, and coordination grows
    /// with the number of linked organisations.
    /// </summary>
    public static void FillCluster(IReadOnlyList<TenantState> members, Func<TenantState, bool> benchmarksAllowed, Span<double> values)
    {
        double requests = 0, multiTurn = 0, mass = 0, items = 0, total = 0, openers = 0, continued = 0;
        double instruction = 0, reasoning = 0, bench = 0;
        Span<double> own = stackalloc double[SignalCount];
        Span<double> weighted = stackalloc double[SignalCount];
        weighted.Clear();
        long weight = 0;
        foreach (var m in members)
        {
            var allowed = benchmarksAllowed(m);
            requests += m.Volume.Requests;
            multiTurn += m.Volume.MultiTurn;
            openers += m.Volume.CuedOpeners;
            continued += m.Volume.CuedContinued;
            mass += m.Volume.Kept(allowed);
            items += allowed ? 0 : m.Benchmark.Items;
            total += m.InstructionGeneration.Total;
            instruction += m.InstructionGeneration.Hits;
            reasoning += m.ReasoningElicitation.Hits - (allowed ? m.ReasoningOnBenchmarks : 0);
            bench += allowed ? 0 : m.Benchmark.Hits;
            Fill(m, allowed, own);
            for (var i = 0; i < SignalCount; i++)
            {
                weighted[i] += own[i] * m.Requests;
            }
            weight += m.Requests;
        }
        var divisor = Math.Max(1, weight);
        for (var i = 0; i < SignalCount; i++)
        {
            values[i] = weighted[i] / divisor;
        }
        var first = members[0];
        values[(int)SignalId.InstructionGeneration] = ContentEvidence.Strength(instruction, total, first.InstructionGeneration.BaseRate, first.InstructionGeneration.FullRate);
        values[(int)SignalId.ReasoningElicitation] = ContentEvidence.Strength(reasoning, total, first.ReasoningElicitation.BaseRate, first.ReasoningElicitation.FullRate);
        values[(int)SignalId.BenchmarkMatch] = ContentEvidence.Strength(bench, total, BenchmarkEvidence.BaseRate, BenchmarkEvidence.FullRate);
        values[(int)SignalId.Coordination] = Math.Min(1, (members.Count - 1) / 3.0);
        values[(int)SignalId.MultiTurn] = requests <= 0 ? 0 : multiTurn / requests;
        // Each member keeps its own allowances (mass and benchmark items): what is suspicious is the excess, not N honest
        // accounts — a few teams running the same public harness — added together.
        values[(int)SignalId.ExtractionVolume] = ExtractionVolume.Strength(mass, members.Count);
        values[(int)SignalId.BenchmarkCoverage] = ExtractionVolume.FollowUpGate(continued, openers) * BenchmarkEvidence.CoverageStrength(items, members.Count);
    }

    /// <summary>Log-odds contribution of each signal (they sum to L − b), with the group caps applied proportionally.</summary>
    public static void Contributions(ReadOnlySpan<double> values, Span<double> logOdds)
    {
        var volume = values[(int)SignalId.ExtractionVolume];
        var coverage = values[(int)SignalId.BenchmarkCoverage];
        var amplifier = Math.Max(volume, coverage);
        double content = 0, behaviour = 0;
        for (var i = 0; i < SignalCount; i++)
        {
            logOdds[i] = Weights[i] * values[i];
            if (Kinds[i] == SignalKind.Content)
            {
                content += logOdds[i];
            }
            else if (Kinds[i] == SignalKind.Behaviour && i != (int)SignalId.Coordination)
            {
                behaviour += logOdds[i];
            }
        }
        var contentScale = amplifier * (content > ContentCap ? ContentCap / content : 1);
        var behaviourScale = amplifier * (behaviour > BehaviourCap ? BehaviourCap / behaviour : 1);
        for (var i = 0; i < SignalCount; i++)
        {
            switch (Kinds[i])
            {
                case SignalKind.Content:
                    logOdds[i] *= contentScale;
                    break;
                case SignalKind.Behaviour when i == (int)SignalId.Coordination:
                    logOdds[i] *= amplifier;
                    break;
                case SignalKind.Behaviour:
                    logOdds[i] *= behaviourScale;
                    break;
                case SignalKind.Mitigating:
                    logOdds[i] = 0;
                    break;
            }
        }
    }

    public static double Score(ReadOnlySpan<double> values)
    {
        Span<double> logOdds = stackalloc double[SignalCount];
        Contributions(values, logOdds);
        var sum = Intercept;
        foreach (var c in logOdds)
        {
            sum += c;
        }
        return 100 / (1 + Math.Exp(-sum));
    }
}
