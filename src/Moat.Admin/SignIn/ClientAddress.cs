using Microsoft.AspNetCore.Http;

namespace Moat.Admin.SignIn;

/// <summary>
/// The address a sign-in attempt (admin API, console) is counted against: the TCP peer, after the host's
/// forwarded-headers middleware has replaced it with the client a trusted proxy reported. Never read
/// <c>X-Forwarded-For</c> here: a client could forge it and spread its failures over invented addresses.
/// </summary>
public static class ClientAddress
{
    public static string? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress?.ToString();
    }
}
