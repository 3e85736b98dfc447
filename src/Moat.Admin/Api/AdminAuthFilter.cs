using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Admin.Hosting;
using Moat.Admin.SignIn;
using Moat.Core.Access;
using Moat.Core.Errors;
using Moat.Storage;

namespace Moat.Admin.Api;

/// <summary>
/// Guards /admin/v1: every answer is <c>Cache-Control: no-store</c>; the bearer must be an admin token (an API key never
/// is); a refused request is answered 401 and counted per client address by <see cref="SignInThrottle"/> (429 with
/// Retry-After once it failed too often; audited as one summary per address per window, never with the presented token).
/// The operator's name in <c>X-Moat-Actor</c> is validated and may not claim a system actor.
/// </summary>
internal sealed class AdminAuthFilter(
    AdminTokenStore tokens,
    SignInThrottle throttle,
    ILogger<AdminAuthFilter> logger) : IEndpointFilter
{
    public const string ActorHeader = "X-Moat-Actor";
    public const int MaxActorLength = 64;
    private const string DefaultActor = "admin";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers.CacheControl = "no-store";
        var client = ClientAddress.Of(http);
        if (throttle.RetryAfter(client) is { } wait)
        {
            return OpenAiError.RateLimited(
                    $"Too many failed admin sign-ins from this address. Retry after {Math.Ceiling(wait.TotalSeconds):F0} seconds.")
                .AsResult(wait);
        }

        var why = await RefusalAsync(http).ConfigureAwait(false);
        if (why is not null)
        {
            var path = http.Request.Path.Value ?? "";
            AdminLog.AdminLoginFailed(logger, path, client, why);
            throttle.Failed(client, SignInSurface.AdminApi, why);
            return AdminErrors.InvalidAdminToken().AsResult();
        }
        throttle.Succeeded(client);
        if (ActorProblem(http.Request.Headers[ActorHeader]) is { } problem)
        {
            return OpenAiError.InvalidRequest(problem, ActorHeader).AsResult();
        }
        return await next(context).ConfigureAwait(false);
    }

    /// <summary>The operator named by <c>X-Moat-Actor</c> (validated by the filter), or "admin".</summary>
    public static string ActorOf(HttpContext http)
    {
        var named = http.Request.Headers[ActorHeader].ToString().Trim();
        return named.Length == 0 || ActorProblem(http.Request.Headers[ActorHeader]) is not null ? DefaultActor : named;
    }

    /// <summary>
    /// Why an <c>X-Moat-Actor</c> value is refused, or null when it is acceptable (absent, or a plain name of at most
    /// 64 characters with no control characters that is not a system actor: <c>moat-…</c>, <c>anonymous</c>,
    /// <c>portal</c>, <c>console…</c>).
    /// </summary>
    internal static string? ActorProblem(Microsoft.Extensions.Primitives.StringValues header)
    {
        if (header.Count == 0)
        {
            return null;
        }
        if (header.Count > 1)
        {
            return $"Send one {ActorHeader} header, not {header.Count}.";
        }
        var named = (header[0] ?? "").Trim();
        if (named.Length == 0)
        {
            return null;
        }
        if (named.Length > MaxActorLength)
        {
            return $"{ActorHeader} must be at most {MaxActorLength} characters (was {named.Length}).";
        }
        for (var i = 0; i < named.Length; i++)
        {
            var c = named[i];
            if (char.IsHighSurrogate(c) && i + 1 < named.Length && char.IsLowSurrogate(named[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsControl(c) || char.IsSurrogate(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            {
                return $"{ActorHeader} must not contain control or formatting characters.";
            }
        }
        if (IsReserved(named))
        {
            return $"{ActorHeader} '{named}' is reserved for Moat itself; name the person acting.";
        }
        return null;
    }

    private static bool IsReserved(string actor) =>
        actor.StartsWith("moat-", StringComparison.OrdinalIgnoreCase)
        || actor.Equals("moat", StringComparison.OrdinalIgnoreCase)
        || actor.Equals(FailedSignInAuditor.Actor, StringComparison.OrdinalIgnoreCase)
        || actor.Equals("portal", StringComparison.OrdinalIgnoreCase)
        || actor.Equals("console", StringComparison.OrdinalIgnoreCase)
        || actor.StartsWith("console:", StringComparison.OrdinalIgnoreCase);

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
