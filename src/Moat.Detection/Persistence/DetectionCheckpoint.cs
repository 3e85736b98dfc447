using System.ComponentModel.DataAnnotations;
using Moat.Detection.Enforcement;
using Moat.Detection.Scoring;

namespace Moat.Detection.Persistence;

/// <summary>
/// One organisation's detection state as persisted: the enforcement steps already taken (and those the allow-list held
/// back) in its current crossing, its score and peak, and its evidence from <see cref="TenantState.ExportEvidence"/>.
/// </summary>
public sealed record DetectionCheckpoint(
    string OrgId,
    DateTimeOffset SavedAt,
    EnforcementStep PolicySteps,
    EnforcementStep SuppressedSteps,
    double Score,
    double PeakScore,
    string? Evidence);

/// <summary>
/// Where detection keeps its state across restarts (implemented over the database by the control plane). Read once on
/// start, before the detection loop processes traffic; written by <see cref="DetectionCheckpointer"/>.
/// </summary>
public interface IDetectionCheckpointStore
{
    /// <summary>Every organisation's latest checkpoint.</summary>
    Task<IReadOnlyList<DetectionCheckpoint>> LoadCheckpointsAsync(CancellationToken cancellationToken);

    /// <summary>Each organisation's most recent <paramref name="perOrganization"/> risk snapshots (any order).</summary>
    Task<IReadOnlyList<RiskSnapshot>> LoadHistoryAsync(int perOrganization, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the checkpoints of the given organisations.</summary>
    Task SaveAsync(IReadOnlyList<DetectionCheckpoint> checkpoints, CancellationToken cancellationToken);
}

/// <summary>Bound from <c>Moat:Detection</c>: how often changed organisations are checkpointed.</summary>
public sealed class DetectionCheckpointOptions
{
    [Range(1, 86_400)]
    public int CheckpointIntervalSeconds { get; set; } = 60;

    public TimeSpan Interval => TimeSpan.FromSeconds(CheckpointIntervalSeconds);
}

/// <summary>Wire names of enforcement steps as stored: <c>warn,throttle,open_case,suspend</c>.</summary>
public static class EnforcementStepNames
{
    public static string Format(EnforcementStep steps)
    {
        if (steps == EnforcementStep.None)
        {
            return "";
        }
        var names = new List<string>(4);
        foreach (var step in EnforcementPolicy.Escalation)
        {
            if (steps.HasFlag(step))
            {
                names.Add(NameOf(step));
            }
        }
        return string.Join(',', names);
    }

    /// <summary>Unknown names are ignored (a newer version's step means nothing to this one).</summary>
    public static EnforcementStep Parse(string? text)
    {
        var steps = EnforcementStep.None;
        if (string.IsNullOrEmpty(text))
        {
            return steps;
        }
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            steps |= name switch
            {
                "warn" => EnforcementStep.Warn,
                "throttle" => EnforcementStep.Throttle,
                "open_case" => EnforcementStep.OpenCase,
                "suspend" => EnforcementStep.Suspend,
                _ => EnforcementStep.None,
            };
        }
        return steps;
    }

    public static string NameOf(EnforcementStep step) => step switch
    {
        EnforcementStep.Warn => "warn",
        EnforcementStep.Throttle => "throttle",
        EnforcementStep.OpenCase => "open_case",
        EnforcementStep.Suspend => "suspend",
        _ => throw new ArgumentOutOfRangeException(nameof(step)),
    };
}
