using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Admin.Hosting;
using Moat.Storage;

namespace Moat.Admin.SignIn;

/// <summary>
/// Writes the failed sign-ins that <see cref="SignInThrottle"/> gathered to the audit log once per window: one
/// <c>admin.login_failed</c> entry per client address (counts, first and last time), all in one transaction, so a flood
/// of bad tokens adds at most one entry per address per window and takes the audit lock once.
/// </summary>
public sealed class FailedSignInAuditor(
    SignInThrottle throttle,
    AuditLog audit,
    IOptions<SignInThrottleOptions> options,
    TimeProvider time,
    ILogger<FailedSignInAuditor> logger) : BackgroundService
{
    public const string Actor = "anonymous";

    private readonly SemaphoreSlim _flushLock = new(1, 1);

    /// <summary>Audits everything gathered so far; returns how many entries it wrote.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken = default)
    {
        await _flushLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var summaries = throttle.TakeSummaries();
            if (summaries.Count == 0)
            {
                return 0;
            }
            var window = options.Value.WindowSeconds;
            await audit.WriteAsync((write, _) =>
            {
                foreach (var summary in summaries)
                {
                    write.Append(Actor, AuditActions.AdminLoginFailed, summary.AdminApi > 0 ? "admin" : "console", new
                    {
                        client_ip = summary.Client,
                        failures = summary.Failures,
                        throttled = summary.Throttled,
                        lockouts = summary.Lockouts,
                        admin_api = summary.AdminApi,
                        console = summary.Console,
                        first_at = summary.FirstAt,
                        last_at = summary.LastAt,
                        window_seconds = window,
                        why = summary.LastWhy,
                    });
                }
                return Task.FromResult(summaries.Count);
            }, CancellationToken.None).ConfigureAwait(false);
            return summaries.Count;
        }
        finally
        {
            _flushLock.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Window, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await FlushAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    AdminLog.SignInAuditFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down; StopAsync writes what is left
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AdminLog.SignInAuditFailed(logger, e);
        }
    }
}
