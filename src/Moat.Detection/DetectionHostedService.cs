using Microsoft.Extensions.Hosting;

namespace Moat.Detection;

/// <summary>Runs the detection loop for the lifetime of the host and drains it on shutdown.</summary>
public sealed class DetectionHostedService(DetectionEngine engine) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => engine.RunAsync(stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Process what is queued while the host allows; cancelling the loop (base) then abandons the rest.
        try
        {
            await engine.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
