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
}
