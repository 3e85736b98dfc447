using Microsoft.Extensions.Logging;

namespace Moat.Admin.Hosting;

/// <summary>Log messages of the control plane. Never secrets: keys appear by id and prefix only.</summary>
internal static partial class AdminLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Application {ApplicationId} submitted from {ClientIp}")]
    public static partial void ApplicationSubmitted(ILogger logger, string applicationId, string? clientIp);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Application {ApplicationId} {Decision} by {Actor} (org {OrgId})")]
    public static partial void ApplicationReviewed(ILogger logger, string applicationId, string decision, string actor, string? orgId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Organisation {OrgId}: {Action} by {Actor}, {From} -> {To}")]
    public static partial void OrgTransitioned(ILogger logger, string orgId, string action, string actor, string from, string to);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Organisation {OrgId}: {Change} changed by {Actor}")]
    public static partial void OrgChanged(ILogger logger, string orgId, string change, string actor);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Key {KeyId} ({Prefix}) of {OrgId}: {Action} by {Actor}")]
    public static partial void KeyChanged(ILogger logger, string orgId, string keyId, string prefix, string action, string actor);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Case {CaseId} of {OrgId}: {Action} by {Actor}")]
    public static partial void CaseChanged(ILogger logger, string caseId, string orgId, string action, string actor);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Rejected admin request to {Path} from {ClientIp}: {Why}")]
    public static partial void AdminLoginFailed(ILogger logger, string path, string? clientIp, string why);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Portal rate limit hit by {ClientIp}")]
    public static partial void PortalRateLimited(ILogger logger, string? clientIp);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Automatic {Action} for {OrgId} skipped: not legal from state {State}")]
    public static partial void DetectionActionSkipped(ILogger logger, string action, string orgId, string state);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Detection opened or extended case {CaseId} of {OrgId} at risk score {Score:F1}")]
    public static partial void DetectionCaseOpened(ILogger logger, string caseId, string orgId, double score);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Risk snapshots dropped so far: {Dropped} (writer behind)")]
    public static partial void RiskSnapshotsDropped(ILogger logger, long dropped);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Error, Message = "Writing {Count} risk snapshots failed; they are lost")]
    public static partial void RiskSnapshotsFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Refreshing detection context of organisation {OrgId} failed; keeping the cached one")]
    public static partial void OrgContextRefreshFailed(ILogger logger, Exception exception, string orgId);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Organisation {OrgId} {Change} the detection allow-list by {Actor} (until {ExpiresAt:O})")]
    public static partial void AllowListChanged(ILogger logger, string orgId, string change, string actor, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 3030, Level = LogLevel.Warning, Message = "Admin sign-ins from {ClientIp} refused for {Seconds} s (lockout {Lockouts}) after repeated failures")]
    public static partial void SignInLockedOut(ILogger logger, string clientIp, long seconds, int lockouts);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Error, Message = "Auditing failed sign-ins failed; the summaries are lost")]
    public static partial void SignInAuditFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3040, Level = LogLevel.Information, Message = "Provenance scan of {Passages} passages: {Verdict} (top account {TopOrgId}) in {Seconds:F1} s")]
    public static partial void ProvenanceScanned(ILogger logger, long passages, string verdict, string topOrgId, double seconds);

    [LoggerMessage(EventId = 3041, Level = LogLevel.Error, Message = "Provenance scan {ScanId} failed")]
    public static partial void ProvenanceScanFailed(ILogger logger, string scanId, Exception exception);

    [LoggerMessage(EventId = 3042, Level = LogLevel.Warning, Message = "Provenance scan job could not be stored or read at {Path}")]
    public static partial void ProvenanceScanStoreFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3043, Level = LogLevel.Information, Message = "Restored {Count} provenance scan jobs ({Interrupted} interrupted by the previous stop)")]
    public static partial void ProvenanceScansRestored(ILogger logger, int count, int interrupted);
}
