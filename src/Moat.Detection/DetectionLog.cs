using Microsoft.Extensions.Logging;

namespace Moat.Detection;

/// <summary>Log messages of detection and enforcement, declared once.</summary>
internal static partial class DetectionLog
{
    [LoggerMessage(1, LogLevel.Information, "Benchmark index loaded: {Items} items from {Source}")]
    public static partial void BenchmarkIndexLoaded(ILogger logger, int items, string source);

    [LoggerMessage(2, LogLevel.Warning, "Detection dropped {Dropped} request features so far (channel full)")]
    public static partial void FeaturesDropped(ILogger logger, long dropped);

    [LoggerMessage(3, LogLevel.Information, "Organisations {OrgA} and {OrgB} linked into {ClusterId}")]
    public static partial void ClusterJoined(ILogger logger, string orgA, string orgB, string clusterId);

    [LoggerMessage(4, LogLevel.Error, "Risk observer failed for {OrgId}")]
    public static partial void ObserverFailed(ILogger logger, Exception exception, string orgId);

    [LoggerMessage(5, LogLevel.Warning, "Automatic {Action} for {OrgId} at risk score {Score:F1}: {Reason}")]
    public static partial void ActionTaken(ILogger logger, string action, string orgId, double score, string reason);

    [LoggerMessage(6, LogLevel.Error, "Automatic {Action} for {OrgId} failed; it will be retried on the next score change")]
    public static partial void ActionFailed(ILogger logger, Exception exception, string action, string orgId);

    [LoggerMessage(7, LogLevel.Error, "Detection failed to process request {RequestId}")]
    public static partial void ProcessFailed(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(8, LogLevel.Warning, "Detection could not embed a sampled opening of {OrgId}; the semantic contrast skips it")]
    public static partial void EmbeddingFailed(ILogger logger, Exception exception, string orgId);
}
