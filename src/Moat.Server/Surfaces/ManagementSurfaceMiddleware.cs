using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Core.Access;
using Moat.Admin.Api;
using Moat.Core.Errors;
using Moat.Gateway.Errors;
using Moat.Storage;

namespace Moat.Server.Surfaces;

/// <summary>
/// Keeps operational detail off the public listener. /metrics and /openapi are served only on the management listener
/// when <c>Moat:Management:Urls</c> is set (404 elsewhere), otherwise only with the admin token (401 without);
/// /healthz and /readyz stay anonymous for load balancers, but /readyz names its checks only to the management listener or
/// the admin token. The management listener serves nothing else.
/// </summary>
internal sealed partial class ManagementSurfaceMiddleware(
    RequestDelegate next, IOptions<ManagementOptions> options, AdminTokenStore tokens, ILogger<ManagementSurfaceMiddleware> logger)
{
    /// <summary>Set in <see cref="HttpContext.Items"/> when the caller may see health check details.</summary>
    public const string HealthDetailsItem = "moat.health.details";

    private readonly IReadOnlySet<int> _managementPorts = options.Value.Ports;
    private readonly bool _enabled = options.Value.Enabled;

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        var operational = path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase);
        var health = path.StartsWithSegments("/healthz", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/readyz", StringComparison.OrdinalIgnoreCase);

        if (_enabled)
        {
            var onManagement = _managementPorts.Contains(context.Connection.LocalPort);
            if (onManagement != operational && !health)
            {
                // Operational paths off the management listener, or customer paths on it: neither exists there.
                await OpenAiErrorWriter.WriteAsync(context, OpenAiError.NotFound(path.Value ?? "")).ConfigureAwait(false);
                return;
            }
            if (onManagement)
            {
                context.Items[HealthDetailsItem] = true;
            }
            await next(context).ConfigureAwait(false);
            return;
        }

        if (operational || health)
        {
            var admin = await PresentsAdminTokenAsync(context).ConfigureAwait(false);
            if (operational && !admin)
            {
                LogRefused(logger, path.Value ?? "", context.Connection.RemoteIpAddress?.ToString());
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await OpenAiErrorWriter.WriteAsync(context, AdminErrors.InvalidAdminToken()).ConfigureAwait(false);
                return;
            }
            if (admin)
            {
                context.Items[HealthDetailsItem] = true;
            }
        }
        await next(context).ConfigureAwait(false);
    }

    private async Task<bool> PresentsAdminTokenAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var presented = header["Bearer ".Length..].Trim();
        return presented.Length > 0
            && !presented.StartsWith(ApiKeySecret.Prefix, StringComparison.Ordinal)
            && await tokens.VerifyAsync(presented, context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 6011, Level = LogLevel.Debug, Message = "Refused {Path} to {ClientIp}: the admin token is required (or serve it on Moat:Management:Urls)")]
    private static partial void LogRefused(ILogger logger, string path, string? clientIp);
}
