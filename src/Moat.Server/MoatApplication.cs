using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Moat.Admin.Api;
using Moat.Admin.Hosting;
using Moat.Admin.Portal;
using Moat.Admin.Provenance;
using Moat.Detection;
using Moat.Detection.Semantic;
using Moat.Gateway;
using Moat.Provenance.Hosting;
using Moat.Redis;
using Moat.Server.Health;
using Moat.Server.Hosting;
using Moat.Server.Surfaces;
using Moat.Server.Telemetry;
using Moat.Storage;
using Moat.WebConsole.Hosting;

namespace Moat.Server;

/// <summary>The composition root: this file is the table of contents of a Moat process.</summary>
public static class MoatApplication
{
    /// <summary>Builds the gateway host. <paramref name="customize"/> lets the CLI and tests add configuration or services.</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        // Settings are read once at start (options are validated then), so no file watchers: they also exhaust
        // inotify instances when tests host many servers in one process.
        string[] hostArgs = ["--hostBuilder:reloadConfigOnChange=false", .. MoatConfiguration.StripConfigArgument(args, out var configFile)];
        var builder = WebApplication.CreateBuilder(hostArgs);
        builder.AddMoatConfiguration(configFile);
        builder.AddMoatLogging();
        builder.AddMoatSurfaces();
        customize?.Invoke(builder);

        builder.Services
            .AddMoatStorage(builder.Configuration)
            .AddMoatGateway()
            .AddMoatRedis(builder.Configuration)
            .AddMoatAdmin(builder.Configuration)
            .AddMoatDetection(builder.Configuration)
            .AddMoatSemanticDetection(builder.Configuration)
            .AddMoatProvenance(builder.Configuration)
            .AddMoatTelemetry(builder.Configuration)
            .AddMoatHealth()
            .AddMoatConsole()
            .AddOpenApi();

        var app = builder.Build();
        app.UseMoatForwardedHeaders();
        app.UseMoatErrorShape();
        app.UseMoatManagementSurface();
        app.MapMoatHealth();
        app.MapMoatMetrics();
        app.MapMoatModelApi();
        app.MapMoatPortalApi();
        app.MapMoatAdminApi().MapMoatProvenanceApi();
        app.MapMoatConsole();
        app.MapOpenApi("/openapi/v1.json");
        return app;
    }

    /// <summary>Migrates the database and makes sure an admin token exists (printing a generated one once).</summary>
    public static Task PrepareAsync(WebApplication app, TextWriter? announce = null, CancellationToken cancellationToken = default) =>
        MoatStartup.PrepareAsync(app.Services, announce ?? Console.Out, cancellationToken);
}
