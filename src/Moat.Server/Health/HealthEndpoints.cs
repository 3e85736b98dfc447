using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Moat.Server.Health;

/// <summary>
/// /healthz (the process is alive) and /readyz (storage answers; ready for traffic). Both are anonymous for load balancers;
/// the checks behind the status are named only on the management listener or to the admin token.
/// </summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddMoatHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        return services;
    }

    public static WebApplication MapMoatHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .ExcludeFromDescription();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteAsync })
            .ExcludeFromDescription();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new Dictionary<string, object?>
        {
            ["status"] = report.Status == HealthStatus.Healthy ? "ok" : report.Status.ToString().ToLowerInvariant(),
        };
        if (context.Items.ContainsKey(Surfaces.ManagementSurfaceMiddleware.HealthDetailsItem))
        {
            body["checks"] = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description });
        }
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
