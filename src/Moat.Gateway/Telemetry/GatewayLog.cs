using Microsoft.Extensions.Logging;

namespace Moat.Gateway.Telemetry;

/// <summary>Log messages of the request path. Never pass a key, token or prompt here.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Upstream {Upstream} failed for request {RequestId} ({Kind}); trying the next upstream")]
    public static partial void UpstreamFailedOver(ILogger logger, string upstream, string requestId, string kind);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "All upstreams of model {Model} failed for request {RequestId}")]
    public static partial void AllUpstreamsFailed(ILogger logger, string model, string requestId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Upstream {Upstream} timed out for request {RequestId}")]
    public static partial void UpstreamTimedOut(ILogger logger, string upstream, string requestId);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Upstream {Upstream} interrupted the response of request {RequestId}")]
    public static partial void UpstreamInterrupted(ILogger logger, string upstream, string requestId, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "Unhandled failure in request {RequestId}")]
    public static partial void Unhandled(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "Request {RequestId} refused by quota ({Reason}) for org {OrgId}")]
    public static partial void LimitRejected(ILogger logger, string requestId, string reason, string orgId);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Upstream {Upstream} answered request {RequestId} with more than {MaxBytes} bytes; cut off")]
    public static partial void UpstreamTooLarge(ILogger logger, string upstream, string requestId, long maxBytes);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Cancelled {Count} running call(s) of org {OrgId} after an enforcement change")]
    public static partial void CancelledInFlight(ILogger logger, int count, string orgId);
}
