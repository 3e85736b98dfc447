using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Moat.Gateway.Pipeline;

/// <summary>
/// The client address recorded for a call: the TCP peer (after ASP.NET's forwarded-headers middleware applied any
/// trusted proxies), or — when <see cref="GatewayOptions.TrustForwardedFor"/> is on — the address the proxy appended last.
/// </summary>
internal sealed class ClientAddressResolver(GatewayOptions options)
{
    public string? Resolve(HttpContext context)
    {
        if (options.TrustForwardedFor && ForwardedClient(context.Request.Headers["X-Forwarded-For"]) is { } forwarded)
        {
            return forwarded;
        }
        return context.Connection.RemoteIpAddress?.ToString();
    }

    internal static string? ForwardedClient(StringValues header)
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
