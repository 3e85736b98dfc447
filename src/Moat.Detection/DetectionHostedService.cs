using Microsoft.Extensions.Hosting;
using Moat.Detection.Persistence;

namespace Moat.Detection;

/// <summary>
/// Runs the detection loop for the lifetime of the host: restores the checkpointed state first (traffic posted meanwhile
/// waits in the queue), checkpoints in the background, and on shutdown drains the loop, then writes a last checkpoint.
/// </summary>
public sealed class DetectionHostedService(DetectionEngine engine, DetectionCheckpointer? checkpointer = null) : BackgroundService
{
    private Task _checkpoints = Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (checkpointer is not null)
        {
            await checkpointer.RestoreAsync(stoppingToken).ConfigureAwait(false);
            _checkpoints = checkpointer.RunAsync(stoppingToken);
        }
        await engine.RunAsync(stoppingToken).ConfigureAwait(false);
    }

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
        await _checkpoints.ConfigureAwait(false);
        if (checkpointer is not null)
        {
            // The loop has drained: this checkpoint holds everything it scored.
            try
            {
                await checkpointer.SaveChangedAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
