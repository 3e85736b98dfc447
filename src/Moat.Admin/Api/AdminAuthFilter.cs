using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Moat.Admin.Hosting;
using Moat.Core.Access;
using Moat.Gateway.Errors;
using Moat.Storage;

namespace Moat.Admin.Api;

/// <summary>
/// Guards /admin/v1: every answer is <c>Cache-Control: no-store</c>; the bearer must be an admin token (an API key never
/// is); a refused request is answered 401 and written to the audit log with the client IP, never the presented token.
/// </summary>
internal sealed class AdminAuthFilter(AdminTokenStore tokens, AuditLog audit, ILogger<AdminAuthFilter> logger) : IEndpointFilter
{
    public const string ActorHeader = "X-Moat-Actor";
    private const int MaxActorLength = 100;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers.CacheControl = "no-store";

        var why = await RefusalAsync(http).ConfigureAwait(false);
        if (why is null)
        {
            return await next(context).ConfigureAwait(false);
        }
        var clientIp = http.Connection.RemoteIpAddress?.ToString();
        var path = http.Request.Path.Value ?? "";
        AdminLog.AdminLoginFailed(logger, path, clientIp, why);
        await audit.AppendAsync("anonymous", AuditActions.AdminLoginFailed, "admin", new
        {
            client_ip = clientIp,
            method = http.Request.Method,
            path,
            why,
        }, CancellationToken.None).ConfigureAwait(false);
        return OpenAiError.InvalidAdminToken().AsResult();
    }

    /// <summary>The operator named by <c>X-Moat-Actor</c>, or "admin".</summary>
    public static string ActorOf(HttpContext http)
    {
        var named = http.Request.Headers[ActorHeader].ToString().Trim();
        if (named.Length == 0)
        {
            return "admin";
        }
        return named.Length > MaxActorLength ? named[..MaxActorLength] : named;
    }

    private async Task<string?> RefusalAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return "missing bearer token";
        }
        var presented = header["Bearer ".Length..].Trim();
        if (presented.StartsWith(ApiKeySecret.Prefix, StringComparison.Ordinal))
        {
            return "an API key is not an admin token";
        }
        return await tokens.VerifyAsync(presented, http.RequestAborted).ConfigureAwait(false) ? null : "invalid admin token";
    }
}
