using Microsoft.Extensions.Diagnostics.HealthChecks;
using Moat.Detection.Persistence;

namespace Moat.Admin.Detection;

/// <summary>Part of /readyz: not ready until detection has read its checkpoints and history back.</summary>
public sealed class DetectionRestoreHealthCheck(DetectionCheckpointer checkpointer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(checkpointer.IsRestored
            ? HealthCheckResult.Healthy("detection state restored")
            : HealthCheckResult.Unhealthy("restoring detection state"));
}
