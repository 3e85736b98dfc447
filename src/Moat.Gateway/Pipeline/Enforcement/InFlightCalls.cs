using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moat.Core.Access;
using Moat.Core.Changes;
using Moat.Gateway.Errors;
using Moat.Gateway.Pipeline.Authenticate;
using Moat.Gateway.Telemetry;

namespace Moat.Gateway.Pipeline.Enforcement;

/// <summary>
/// The calls this replica is forwarding right now, so enforcement reaches them: when the change feed says an
/// organisation changed (here or on any replica), its running calls whose key was revoked or whose organisation is
/// no longer served are cancelled, and the forwarder ends each with the refusal as an error.
/// </summary>
public sealed class InFlightCalls(IChangeFeed changes, IKeyDirectory keys, TimeProvider time, ILogger<InFlightCalls> logger) : IHostedService
{
    private readonly ConcurrentDictionary<long, Running> _calls = new();
    private long _next;
    private IDisposable? _subscription;

    /// <summary>How many calls are being forwarded.</summary>
    public int Count => _calls.Count;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = changes.Subscribe(OnChangedAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    internal Registration Register(GatewayCall call, CancellationTokenSource cancellation)
    {
        var id = Interlocked.Increment(ref _next);
        _calls[id] = new Running(call, cancellation);
        return new Registration(this, id);
    }

    private async Task OnChangedAsync(OrgChanged change, CancellationToken cancellationToken)
    {
        if (!Any(change.OrgId))
        {
            return;
        }
        // The directory may not have applied this change yet (subscribers run in no set order): reload it first.
        await keys.RefreshOrgAsync(change.OrgId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var cancelled = 0;
        foreach (var (_, running) in _calls)
        {
            if (running.Call.Key is not { } key || key.OrgId != change.OrgId)
            {
                continue;
            }
            var current = keys.FindByHash(key.KeyHash);
            var refusal = current is null || !current.IsUsableAt(now) ? ModelApiErrors.KeyRevoked() : BearerAuthenticator.RefusalFor(current.State);
            if (refusal is null)
            {
                continue;
            }
            running.Call.EnforcedBy = refusal;
            try
            {
                await running.Cancellation.CancelAsync().ConfigureAwait(false);
                cancelled++;
            }
            catch (ObjectDisposedException)
            {
                // The call finished between the lookup and the cancel.
            }
        }
        if (cancelled > 0)
        {
            GatewayLog.CancelledInFlight(logger, cancelled, change.OrgId);
        }
    }

    private bool Any(string orgId)
    {
        foreach (var (_, running) in _calls)
        {
            if (running.Call.Key?.OrgId == orgId)
            {
                return true;
            }
        }
        return false;
    }

    private void Remove(long id) => _calls.TryRemove(id, out _);

    private sealed record Running(GatewayCall Call, CancellationTokenSource Cancellation);

    /// <summary>Removes the call from the registry when disposed.</summary>
    internal readonly struct Registration(InFlightCalls owner, long id) : IDisposable
    {
        public void Dispose() => owner.Remove(id);
    }
}
