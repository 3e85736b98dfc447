using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moat.Core.Access;
using Moat.Core.Changes;

namespace Moat.Storage;

/// <summary>
/// Loads the key directory before the host starts serving, applies change-feed events to it, and reloads it fully
/// every minute as a safety net against a missed event.
/// </summary>
public sealed partial class KeyDirectoryRefresher(
    IKeyDirectory directory,
    IChangeFeed changes,
    TimeProvider time,
    ILogger<KeyDirectoryRefresher> logger) : BackgroundService
{
    public static readonly TimeSpan SafetyNetInterval = TimeSpan.FromSeconds(60);

    private IDisposable? _subscription;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribe first so no change that commits during the initial load is missed.
        _subscription = changes.Subscribe((change, ct) => directory.RefreshOrgAsync(change.OrgId, ct));
        await directory.RefreshAllAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SafetyNetInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await directory.RefreshAllAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogRefreshFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Periodic key directory reload failed; keeping the previous snapshot")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
