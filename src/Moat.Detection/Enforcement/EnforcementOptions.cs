using System.ComponentModel.DataAnnotations;

namespace Moat.Detection.Enforcement;

/// <summary>Bound from <c>Moat:Enforcement</c>: score thresholds of automatic actions, allow-listing and per-org overrides.</summary>
public sealed class EnforcementOptions : IValidatableObject
{
    public const string SectionName = "Moat:Enforcement";

    /// <summary>Warn the organisation (a notice, no restriction).</summary>
    [Range(0, 100)]
    public double WarnAt { get; set; } = 50;

    /// <summary>Open a case for a reviewer: below the throttle, so a human sees the evidence before anything binds.</summary>
    [Range(0, 100)]
    public double CaseAt { get; set; } = 70;

    /// <summary>
    /// Throttle automatically: only on strong, sustained evidence. The score reaches this only with a large harvested
    /// volume (or benchmark coverage) backed by cues or behaviour (<see cref="Scoring.RiskModel"/>), never on cues alone.
    /// </summary>
    [Range(0, 100)]
    public double ThrottleAt { get; set; } = 85;

    [Range(0, 100)]
    public double SuspendAt { get; set; } = 95;

    /// <summary>Off by default: a human confirms suspensions from the case.</summary>
    public bool AutoSuspend { get; set; }

    /// <summary>Organisations approved for the <c>evaluation</c> use case may send benchmark suites without it counting.</summary>
    public bool AllowBenchmarksForEvaluation { get; set; } = true;

    /// <summary>Score drops this far below a threshold before its action can fire again (hysteresis).</summary>
    [Range(0, 50)]
    public double RearmMargin { get; set; } = 10;

    public Dictionary<string, OrgEnforcementOverride> Overrides { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Case and throttle may come in either order (a case first is the default: a human looks before anything binds).
        if (!(WarnAt <= ThrottleAt && WarnAt <= CaseAt && ThrottleAt <= SuspendAt && CaseAt <= SuspendAt))
        {
            yield return new ValidationResult("Thresholds must satisfy WarnAt ≤ CaseAt, ThrottleAt ≤ SuspendAt.",
                [nameof(WarnAt), nameof(ThrottleAt), nameof(CaseAt), nameof(SuspendAt)]);
        }
    }

    public OrgEnforcementOverride? OverrideFor(string orgId) => Overrides.TryGetValue(orgId, out var o) ? o : null;
}

/// <summary>Per-organisation adjustments (<c>Moat:Enforcement:Overrides:&lt;orgId&gt;</c>).</summary>
public sealed class OrgEnforcementOverride
{
    /// <summary>No automatic actions for this organisation (it is still scored).</summary>
    public bool Disabled { get; set; }

    /// <summary>Added to every threshold for this organisation (positive = more lenient).</summary>
    public double ThresholdOffset { get; set; }

    /// <summary>Benchmark prompts do not count for this organisation, whatever its use case.</summary>
    public bool? AllowBenchmarks { get; set; }
}
