using Microsoft.AspNetCore.Http;

namespace Moat.Gateway.Pipeline;

/// <summary>
/// The client address of a request: the TCP peer, after ASP.NET's forwarded-headers middleware has replaced it with
/// the client a trusted proxy reported (<c>Moat:ForwardedHeaders:KnownProxies</c> / <c>KnownNetworks</c>). Nothing
/// else reads <c>X-Forwarded-For</c>, so a client cannot forge its address.
/// </summary>
public static class ClientAddress
{
    public static string? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress?.ToString();
    }
}
