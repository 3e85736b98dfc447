using Microsoft.Extensions.Hosting;

namespace Moat.Detection;

/// <summary>Runs the detection loop for the lifetime of the host.</summary>
public sealed class DetectionHostedService(DetectionEngine engine) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => engine.RunAsync(stoppingToken);
}
