using Microsoft.Extensions.Logging;

namespace Moat.Detection.Persistence;

/// <summary>Log messages of detection's persistence and of the allow-list, declared once (event ids 50–59).</summary>
internal static partial class PersistenceLog
{
    [LoggerMessage(50, LogLevel.Information, "Detection state restored: {Organizations} organisations, {Checkpoints} checkpoints, {Snapshots} history snapshots")]
    public static partial void Restored(ILogger logger, int organizations, int checkpoints, int snapshots);

    [LoggerMessage(51, LogLevel.Error, "Restoring detection state failed; retrying in {Delay} (the detection loop waits, /readyz reports not ready)")]
    public static partial void RestoreFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(52, LogLevel.Error, "Checkpointing {Organizations} organisations failed; they are retried at the next checkpoint")]
    public static partial void SaveFailed(ILogger logger, Exception exception, int organizations);

    [LoggerMessage(53, LogLevel.Debug, "Checkpointed {Organizations} organisations")]
    public static partial void Saved(ILogger logger, int organizations);

    [LoggerMessage(54, LogLevel.Warning, "Automatic {Steps} for {OrgId} at risk score {Score:F1} suppressed: allow-listed until {Until:O}")]
    public static partial void ActionSuppressed(ILogger logger, string steps, string orgId, double score, DateTimeOffset until);

    [LoggerMessage(55, LogLevel.Error, "Recording the suppressed {Steps} for {OrgId} failed")]
    public static partial void SuppressionRecordFailed(ILogger logger, Exception exception, string steps, string orgId);

    [LoggerMessage(56, LogLevel.Error, "Resuming enforcement of organisations whose allow-list entry ended failed; retried at the next interval")]
    public static partial void ResumeFailed(ILogger logger, Exception exception);
}
