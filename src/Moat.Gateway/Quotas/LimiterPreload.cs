using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moat.Core.Ledger;
using Moat.Core.Quotas;

namespace Moat.Gateway.Quotas;

/// <summary>
/// On start, before the first request, resumes the in-process limiter from the ledger: today's tokens and the last
/// minute's requests and tokens per organisation and key. Without it a restart (deploy, crash) would hand every
/// organisation a fresh day. The Redis limiter keeps its state in Redis, but its "Local" fallback (Redis unreachable,
/// or not yet connected right after a start) is this same in-process limiter, so it is resumed in every deployment.
/// </summary>
internal sealed partial class LimiterPreload(IServiceProvider services, TimeProvider time, ILogger<LimiterPreload> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<InProcessRateLimiter>() is not { } limiter || services.GetService<ILedgerUsageHistory>() is not { } history)
        {
            return;
        }
        var now = time.GetUtcNow();
        var dayStart = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var totals = await history.LoadAsync(dayStart, now - TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
        limiter.Preload(totals, now);
        Preloaded(logger, totals.Organizations.Count, totals.Keys.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Rate limiter resumed from the ledger: {Organizations} organisation(s), {Keys} key(s) with usage today")]
    private static partial void Preloaded(ILogger logger, int organizations, int keys);
}
