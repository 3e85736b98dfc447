using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Moat.Admin.Hosting;

namespace Moat.Admin.Portal;

/// <summary>
/// Fixed-window limits on portal applications per client IP (per minute and per day), on the injected clock so tests
/// can advance it. Entries whose day window has ended are pruned, so memory stays bounded by a day's distinct IPs.
/// </summary>
public sealed class PortalRateLimiter(IOptions<PortalOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private const int PruneThreshold = 10_000;

    private readonly ConcurrentDictionary<string, Windows> _clients = new(StringComparer.Ordinal);

    /// <summary>Counts one attempt; returns null when allowed, else how long until the next one is.</summary>
    public TimeSpan? TryAcquire(string clientKey)
    {
        var now = time.GetUtcNow();
        if (_clients.Count > PruneThreshold)
        {
            Prune(now);
        }
        var windows = _clients.GetOrAdd(clientKey, _ => new Windows());
        var limits = options.Value;
        lock (windows)
        {
            if (now - windows.MinuteStart >= Minute)
            {
                windows.MinuteStart = now;
                windows.MinuteCount = 0;
            }
            if (now - windows.DayStart >= Day)
            {
                windows.DayStart = now;
                windows.DayCount = 0;
            }
            if (windows.DayCount >= limits.ApplicationsPerDay)
            {
                return windows.DayStart + Day - now;
            }
            if (windows.MinuteCount >= limits.ApplicationsPerMinute)
            {
                return windows.MinuteStart + Minute - now;
            }
            windows.MinuteCount++;
            windows.DayCount++;
            return null;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, windows) in _clients)
        {
            if (now - windows.DayStart >= Day)
            {
                _clients.TryRemove(key, out _);
            }
        }
    }

    private sealed class Windows
    {
        public DateTimeOffset MinuteStart = DateTimeOffset.MinValue;
        public DateTimeOffset DayStart = DateTimeOffset.MinValue;
        public int MinuteCount;
        public int DayCount;
    }
}
