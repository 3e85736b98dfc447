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
}

/// <summary>
/// How signals combine into a 0–100 score: a logistic model, score = 100·σ(b + Σ wᵢ·vᵢ). Content signals add freely.
/// Behaviour signals are capped together below the warn threshold, so a customer who only looks automated
/// (a batch job at its cap, a support bot with one template) is never warned; behaviour only hastens a content finding.
/// Weights were tuned on the tuning split of the simulator and checked on the held-out split (docs/detection.md).
/// </summary>
public static class RiskModel
{
    public const int SignalCount = 11;
    public const double Intercept = -5.0;

    /// <summary>Largest total log-odds behaviour signals may add: σ(−5 + 4.2) ≈ 31.</summary>
    public const double BehaviourCap = 4.2;

    public static readonly string[] Names =
    [
        "instruction_generation", "reasoning_elicitation", BenchmarkEvidence.Name, TemplateReuseSignal.Name,
        OutputMaximisingParameters.Name, QuotaSaturation.Name, InterArrivalRegularity.Name, TopicCoverageSweep.Name,
        ReleaseSurge.Name, "cross_tenant_coordination", ConversationShare.Name,
    ];

    public static readonly SignalKind[] Kinds =
    [
        SignalKind.Content, SignalKind.Content, SignalKind.Content, SignalKind.Behaviour,
        SignalKind.Behaviour, SignalKind.Behaviour, SignalKind.Behaviour, SignalKind.Behaviour,
        SignalKind.Behaviour, SignalKind.Behaviour, SignalKind.Mitigating,
    ];

    public static readonly double[] Weights = [9.0, 6.5, 9.0, 2.0, 2.0, 1.2, 1.2, 1.2, 1.0, 1.5, -2.0];

    public static double BaselineScore { get; } = 100 / (1 + Math.Exp(-Intercept));

    /// <summary>Signal values of one organisation's own traffic.</summary>
    public static void Fill(TenantState s, bool benchmarksAllowed, Span<double> values)
    {
        values[(int)SignalId.InstructionGeneration] = s.InstructionGeneration.Value;
        values[(int)SignalId.ReasoningElicitation] = benchmarksAllowed
            ? ExcessEvidence.Strength(s.ReasoningElicitation.Hits - s.ReasoningOnBenchmarks, s.ReasoningElicitation.Total, s.ReasoningElicitation.BaseRate, s.ReasoningElicitation.FullRate, s.ReasoningElicitation.Scale)
            : s.ReasoningElicitation.Value;
        values[(int)SignalId.BenchmarkMatch] = benchmarksAllowed ? 0 : s.Benchmark.Value;
        values[(int)SignalId.TemplateReuse] = s.Templates.Value;
        values[(int)SignalId.OutputMaximising] = s.Parameters.Value;
        values[(int)SignalId.QuotaSaturation] = s.Quota.Value;
        values[(int)SignalId.MachineTiming] = s.Timing.Value;
        values[(int)SignalId.TopicSweep] = s.Topics.Value;
        values[(int)SignalId.ReleaseSurge] = s.Release.Value;
        values[(int)SignalId.Coordination] = 0;
        values[(int)SignalId.MultiTurn] = s.Conversations.Value;
    }

    /// <summary>
    /// Signal values of a cluster scored as one tenant: content counts are pooled (so load spread thin still adds up),
    /// behaviour is the request-weighted mean, and coordination grows with the number of linked organisations.
    /// </summary>
    public static void FillCluster(IReadOnlyList<TenantState> members, Func<TenantState, bool> benchmarksAllowed, Span<double> values)
    {
        long total = 0, instruction = 0, reasoning = 0, bench = 0, benchIndex = 0, benchTotal = 0;
        Span<double> own = stackalloc double[SignalCount];
        Span<double> weighted = stackalloc double[SignalCount];
        weighted.Clear();
        foreach (var m in members)
        {
            total += m.Requests;
            instruction += m.InstructionGeneration.Hits;
            reasoning += m.ReasoningElicitation.Hits - (benchmarksAllowed(m) ? m.ReasoningOnBenchmarks : 0);
            if (!benchmarksAllowed(m))
            {
                bench += m.Benchmark.Hits;
                benchIndex += m.Benchmark.IndexHits;
            }
            benchTotal += m.Benchmark.Total;
            Fill(m, benchmarksAllowed(m), own);
            for (var i = 0; i < SignalCount; i++)
            {
                weighted[i] += own[i] * m.Requests;
            }
        }
        var divisor = Math.Max(1, total);
        for (var i = 0; i < SignalCount; i++)
        {
            values[i] = weighted[i] / divisor;
        }
        var first = members[0];
        values[(int)SignalId.InstructionGeneration] = ExcessEvidence.Strength(instruction, total, first.InstructionGeneration.BaseRate, first.InstructionGeneration.FullRate, first.InstructionGeneration.Scale);
        values[(int)SignalId.ReasoningElicitation] = ExcessEvidence.Strength(reasoning, total, first.ReasoningElicitation.BaseRate, first.ReasoningElicitation.FullRate, first.ReasoningElicitation.Scale);
        values[(int)SignalId.BenchmarkMatch] = BenchmarkEvidence.Strength(bench, benchIndex, benchTotal);
        values[(int)SignalId.Coordination] = Math.Min(1, (members.Count - 1) / 3.0);
    }

    /// <summary>Log-odds contribution of each signal, with the behaviour cap applied proportionally.</summary>
    public static void Contributions(ReadOnlySpan<double> values, Span<double> logOdds)
    {
        double behaviour = 0;
        for (var i = 0; i < SignalCount; i++)
        {
            logOdds[i] = Weights[i] * values[i];
            if (Kinds[i] == SignalKind.Behaviour)
            {
                behaviour += logOdds[i];
            }
        }
        if (behaviour > BehaviourCap)
        {
            var scale = BehaviourCap / behaviour;
            for (var i = 0; i < SignalCount; i++)
            {
                if (Kinds[i] == SignalKind.Behaviour)
                {
                    logOdds[i] *= scale;
                }
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
