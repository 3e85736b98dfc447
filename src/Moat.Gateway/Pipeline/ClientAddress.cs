using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Moat.Gateway.Pipeline;

/// <summary>The client address of a request: the TCP peer or, behind a trusted proxy, the last <c>X-Forwarded-For</c> entry.</summary>
public static class ClientAddress
{
    /// <summary>The TCP peer, or — when <paramref name="trustForwardedFor"/> — the address the proxy appended last.</summary>
    public static string? Of(HttpContext context, bool trustForwardedFor)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (trustForwardedFor && ForwardedClient(context.Request.Headers["X-Forwarded-For"]) is { } forwarded)
        {
            return forwarded;
        }
        return context.Connection.RemoteIpAddress?.ToString();
    }

    /// <summary>The last address of an <c>X-Forwarded-For</c> header (the one the trusted proxy appended), if it parses.</summary>
    public static string? ForwardedClient(StringValues header)
    {
        if (header.Count == 0 || header[^1] is not { Length: > 0 } value)
        {
            return null;
        }
        var last = value.AsSpan();
        var comma = last.LastIndexOf(',');
        if (comma >= 0)
        {
            last = last[(comma + 1)..];
        }
        return IPAddress.TryParse(last.Trim(), out var address) ? address.ToString() : null;
    }
}
