using System.Globalization;
using Microsoft.AspNetCore.Http;
using Moat.Core.Quotas;

namespace Moat.Gateway.Quotas;

/// <summary>Writes the x-ratelimit-* headers exactly as OpenAI names and formats them.</summary>
public static class RateLimitHeaders
{
    public static void Apply(IHeaderDictionary headers, in RateLimitStatus status)
    {
        headers["x-ratelimit-limit-requests"] = Number(status.LimitRequests);
        headers["x-ratelimit-remaining-requests"] = Number(status.RemainingRequests);
        headers["x-ratelimit-reset-requests"] = Duration(status.ResetRequests);
        headers["x-ratelimit-limit-tokens"] = Number(status.LimitTokens);
        headers["x-ratelimit-remaining-tokens"] = Number(status.RemainingTokens);
        headers["x-ratelimit-reset-tokens"] = Duration(status.ResetTokens);
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>OpenAI's compact durations: "120ms", "1s", "6.5s", "6m0s", "1h2m3s".</summary>
    public static string Duration(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }
        if (value < TimeSpan.FromSeconds(1))
        {
            return ((long)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms";
        }
        if (value < TimeSpan.FromMinutes(1))
        {
            var seconds = Math.Ceiling(value.TotalSeconds * 1000) / 1000;
            return seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        }
        var whole = TimeSpan.FromSeconds(Math.Ceiling(value.TotalSeconds));
        return whole.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)whole.TotalHours}h{whole.Minutes}m{whole.Seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{whole.Minutes}m{whole.Seconds}s");
    }
}
