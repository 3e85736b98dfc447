using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Moat.Server.Surfaces;

/// <summary>
/// What the process exposes and to whom: the server-wide body limit, which proxies may speak for clients, and the
/// management listener for /metrics, /openapi and health details.
/// </summary>
public static partial class SurfaceHostingExtensions
{
    /// <summary>The deprecated switch that trusted <c>X-Forwarded-For</c>; now it trusts loopback proxies only.</summary>
    public const string LegacyTrustForwardedFor = "Moat:Gateway:TrustForwardedFor";

    public static WebApplicationBuilder AddMoatSurfaces(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<RequestBodyOptions>().BindConfiguration(RequestBodyOptions.SectionName).ValidateOnStart();
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.SectionName).ValidateOnStart();
        var publicUrls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        services.AddOptions<ManagementOptions>().BindConfiguration(ManagementOptions.SectionName)
            .Configure(options => options.PublicUrls = publicUrls)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RequestBodyOptions>, SurfaceOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ForwardedHeadersSettings>, SurfaceOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ManagementOptions>, SurfaceOptionsValidator>());

        // Enforced by Kestrel while the body is read, so it holds for chunked bodies that announce no length.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestBodyOptions>>((kestrel, body) =>
            kestrel.Limits.MaxRequestBodySize = body.Value.MaxRequestBodyBytes);

        // The management URLs listen beside the public ones (--urls / ASPNETCORE_URLS, or Kestrel's default).
        var management = builder.Configuration.GetSection(ManagementOptions.SectionName)[nameof(ManagementOptions.Urls)];
        if (!string.IsNullOrWhiteSpace(management))
        {
            builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey,
                (string.IsNullOrWhiteSpace(publicUrls) ? "http://localhost:5000" : publicUrls.TrimEnd(';')) + ";" + management);
        }
        return builder;
    }

    /// <summary>
    /// Applies <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> from the proxies in <c>Moat:ForwardedHeaders</c> only, so
    /// <c>Connection.RemoteIpAddress</c> (ledger, portal per-IP limit, audit) and <c>Request.IsHttps</c> (the console
    /// cookie's Secure flag) are the real client's. Without trusted proxies no header is read. Must run first.
    /// </summary>
    public static WebApplication UseMoatForwardedHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value;
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = settings.ForwardLimit,
        };
        // The framework trusts loopback by default; Moat trusts only what the operator lists.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in settings.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }
        foreach (var network in settings.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
        if (app.Configuration.GetValue<bool>(LegacyTrustForwardedFor))
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SurfaceHostingExtensions).FullName!);
            LogLegacyForwardedFor(logger);
            if (!settings.TrustsAnyProxy)
            {
                options.KnownProxies.Add(IPAddress.Loopback);
                options.KnownProxies.Add(IPAddress.IPv6Loopback);
            }
        }
        if (options.KnownProxies.Count == 0 && options.KnownIPNetworks.Count == 0)
        {
            return app;
        }
        app.UseForwardedHeaders(options);
        return app;
    }

    /// <summary>Guards /metrics, /openapi and health details (see <see cref="ManagementSurfaceMiddleware"/>).</summary>
    public static WebApplication UseMoatManagementSurface(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<ManagementSurfaceMiddleware>();
        return app;
    }

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning,
        Message = "Moat:Gateway:TrustForwardedFor is deprecated: it now trusts X-Forwarded-For from loopback proxies only. List your proxies in Moat:ForwardedHeaders:KnownProxies or KnownNetworks instead.")]
    private static partial void LogLegacyForwardedFor(ILogger logger);
}
