namespace Moat.Storage.Entities;

/// <summary>
/// An organisation's detection state as of the last checkpoint (table <c>detection_checkpoints</c>): the enforcement
/// steps already taken in its current crossing, its score and peak, and its exported evidence.
/// </summary>
public sealed class DetectionCheckpointEntity
{
    public string OrgId { get; set; } = "";
    public DateTimeOffset SavedAt { get; set; }

    /// <summary>Steps that fired in the current crossing, by wire name, comma-separated (<c>warn,throttle</c>); empty when none.</summary>
    public string PolicySteps { get; set; } = "";

    /// <summary>Steps the allow-list held back in the current crossing (so the suppression is recorded once), same form.</summary>
    public string SuppressedSteps { get; set; } = "";

    public double Score { get; set; }
    public double PeakScore { get; set; }

    /// <summary>Opaque, versioned evidence from the detection engine (decayed counters, never prompt text); null when none.</summary>
    public string? Evidence { get; set; }
}
