using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Moat.Server.Telemetry;

/// <summary>
/// OpenTelemetry metrics for every "Moat.*" meter plus ASP.NET Core's, scraped at /metrics (Prometheus) and
/// pushed over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; traces of every "Moat.*" source (one span per
/// request-path stage, GenAI conventions) exported over OTLP when it is set.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddMoatTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter("Moat.*").AddAspNetCoreInstrumentation().AddPrometheusExporter();
            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
        });
        if (otlp)
        {
            // Spans only when an exporter listens: with tracing off the gateway's ActivitySource has no listener and
            // costs nothing on the request path.
            services.AddOpenTelemetry().WithTracing(tracing => tracing
                .AddSource("Moat.*")
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter());
        }
        return services;
    }

    public static WebApplication MapMoatMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
