using System.Text.Json.Serialization;

namespace Moat.Detection.Scoring;

/// <summary>The persisted form of an organisation's decayed evidence (<see cref="TenantState.ExportEvidence"/>).</summary>
internal sealed class EvidenceCheckpoint
{
    public const int CurrentVersion = 1;

    public int Version { get; set; }
    public DateTimeOffset At { get; set; }
    public DateTimeOffset FirstSeen { get; set; }
    public DateTimeOffset LastSeen { get; set; }
    public long Requests { get; set; }

    /// <summary>hits, requests, all-time hits.</summary>
    public double[] Instruction { get; set; } = [];

    /// <summary>hits, requests, all-time hits.</summary>
    public double[] Reasoning { get; set; } = [];

    public double ReasoningOnBenchmarks { get; set; }

    /// <summary>hits, requests, all-time hits, known-item hits, re-samples.</summary>
    public double[] Benchmark { get; set; } = [];

    public string BenchmarkShaped { get; set; } = "";
    public string BenchmarkKnown { get; set; } = "";

    /// <summary>requests, multi-turn, harvested, re-sampled, mass, mass without benchmarks, all-time harvested.</summary>
    public double[] Volume { get; set; } = [];
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(EvidenceCheckpoint))]
internal sealed partial class EvidenceCheckpointJson : JsonSerializerContext;
