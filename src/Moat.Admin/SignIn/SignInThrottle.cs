using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Admin.Hosting;

namespace Moat.Admin.SignIn;

/// <summary>Where a sign-in was attempted.</summary>
public enum SignInSurface
{
    AdminApi,
    Console,
}

/// <summary>
/// Counts failed admin sign-ins (admin API bearer, console form) per client address, refuses an address that failed too
/// often (exponential back-off), and collects the failures into one summary per address for
/// <see cref="FailedSignInAuditor"/> to audit in a batch. All in memory, under a short lock that is never held across an
/// await: a flood of bad tokens costs a hash and a dictionary update each, never the audit log's lock.
/// </summary>
public sealed class SignInThrottle(IOptions<SignInThrottleOptions> options, TimeProvider time, ILogger<SignInThrottle> logger)
{
    /// <summary>The bucket every address shares once <see cref="SignInThrottleOptions.MaxTrackedClients"/> are tracked.</summary>
    public const string OverflowClient = "other";

    private readonly SignInThrottleOptions _options = options.Value;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ClientState> _clients = new(StringComparer.Ordinal);
    private Dictionary<string, FailedSignInSummary> _pending = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="client"/> must still wait, or null when it may try to sign in now.</summary>
    public TimeSpan? RetryAfter(string? client)
    {
        var key = client ?? "unknown";
        var now = time.GetUtcNow();
        lock (_lock)
        {
            // Only the address's own record: the shared overflow bucket bounds memory and audit, and must not lock out
            // an address that merely arrived while the table was full.
            if (!_clients.TryGetValue(key, out var state))
            {
                return null;
            }
            if (state.LockedUntil <= now)
            {
                return null;
            }
            Summary(state.Key, now).Throttled++;
            return state.LockedUntil - now;
        }
    }

    /// <summary>Records a failed sign-in; returns the back-off now in force for the address, if this failure started one.</summary>
    public TimeSpan? Failed(string? client, SignInSurface surface, string why)
    {
        var key = client ?? "unknown";
        var now = time.GetUtcNow();
        TimeSpan? backoff = null;
        int lockouts;
        lock (_lock)
        {
            var state = Track(key, now);
            if (now - state.WindowStart >= _options.Window)
            {
                state.WindowStart = now;
                state.Failures = 0;
            }
            if (state.Lockouts > 0 && now - state.LockedUntil > TimeSpan.FromSeconds(_options.MaxBackoffSeconds))
            {
                state.Lockouts = 0; // quiet long enough: the next lockout starts short again
            }
            state.LastSeen = now;
            state.Failures++;
            if (state.Failures >= _options.MaxFailures)
            {
                state.Lockouts++;
                var seconds = Math.Min((double)_options.MaxBackoffSeconds, _options.BackoffSeconds * Math.Pow(2, Math.Min(state.Lockouts - 1, 30)));
                backoff = TimeSpan.FromSeconds(seconds);
                state.LockedUntil = now + backoff.Value;
                state.Failures = 0;
                state.WindowStart = now;
            }
            lockouts = state.Lockouts;
            var summary = Summary(state.Key, now);
            summary.Failures++;
            summary.LastWhy = why;
            if (surface == SignInSurface.Console)
            {
                summary.Console++;
            }
            else
            {
                summary.AdminApi++;
            }
            if (backoff is not null)
            {
                summary.Lockouts++;
            }
        }
        if (backoff is { } locked)
        {
            AdminLog.SignInLockedOut(logger, key, (long)locked.TotalSeconds, lockouts);
        }
        return backoff;
    }

    /// <summary>A successful sign-in from <paramref name="client"/> clears that address's failures (and no other's).</summary>
    public void Succeeded(string? client)
    {
        var key = client ?? "unknown";
        lock (_lock)
        {
            if (_clients.TryGetValue(key, out var state) && state.LockedUntil <= time.GetUtcNow())
            {
                _clients.Remove(key);
            }
        }
    }

    /// <summary>The summaries gathered since the last call (one per address), and forgets addresses idle long enough.</summary>
    public IReadOnlyList<FailedSignInSummary> TakeSummaries()
    {
        var now = time.GetUtcNow();
        var forgetBefore = now - TimeSpan.FromSeconds(_options.MaxBackoffSeconds) - _options.Window;
        Dictionary<string, FailedSignInSummary> taken;
        lock (_lock)
        {
            taken = _pending;
            _pending = new Dictionary<string, FailedSignInSummary>(StringComparer.Ordinal);
            foreach (var (key, state) in _clients)
            {
                if (state.LastSeen < forgetBefore && state.LockedUntil < forgetBefore)
                {
                    _clients.Remove(key);
                }
            }
        }
        var summaries = new List<FailedSignInSummary>(taken.Values);
        summaries.Sort((a, b) => a.FirstAt.CompareTo(b.FirstAt));
        return summaries;
    }

    // Under _lock.
    private ClientState Track(string key, DateTimeOffset now)
    {
        if (_clients.TryGetValue(key, out var state))
        {
            return state;
        }
        if (_clients.Count >= _options.MaxTrackedClients)
        {
            key = OverflowClient;
            if (_clients.TryGetValue(key, out state))
            {
                return state;
            }
        }
        state = new ClientState(key) { WindowStart = now, LastSeen = now, LockedUntil = DateTimeOffset.MinValue };
        _clients[key] = state;
        return state;
    }

    // Under _lock.
    private FailedSignInSummary Summary(string key, DateTimeOffset now)
    {
        if (!_pending.TryGetValue(key, out var summary))
        {
            summary = new FailedSignInSummary(key, now);
            _pending[key] = summary;
        }
        summary.LastAt = now;
        return summary;
    }

    private sealed class ClientState(string key)
    {
        public string Key { get; } = key;
        public DateTimeOffset WindowStart { get; set; }
        public DateTimeOffset LastSeen { get; set; }
        public DateTimeOffset LockedUntil { get; set; }
        public int Failures { get; set; }
        public int Lockouts { get; set; }
    }
}

/// <summary>The failed sign-ins of one client address in one window: counts by surface, refusals while locked out, first and last time.</summary>
public sealed class FailedSignInSummary(string client, DateTimeOffset firstAt)
{
    public string Client { get; } = client;
    public DateTimeOffset FirstAt { get; } = firstAt;
    public DateTimeOffset LastAt { get; internal set; } = firstAt;
    public int Failures { get; internal set; }
    public int Throttled { get; internal set; }
    public int Lockouts { get; internal set; }
    public int AdminApi { get; internal set; }
    public int Console { get; internal set; }
    public string? LastWhy { get; internal set; }
}
