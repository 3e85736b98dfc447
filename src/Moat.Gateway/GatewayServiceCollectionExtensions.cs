using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moat.Core.Models;
using Moat.Core.Quotas;
using Moat.Gateway.Pipeline;
using Moat.Gateway.Pipeline.Admit;
using Moat.Gateway.Pipeline.Authenticate;
using Moat.Gateway.Pipeline.Enforcement;
using Moat.Gateway.Pipeline.Forward;
using Moat.Gateway.Pipeline.Limit;
using Moat.Gateway.Pipeline.Models;
using Moat.Gateway.Pipeline.Settle;
using Moat.Gateway.Quotas;
using Moat.Gateway.Telemetry;
using Moat.Gateway.Tokens;
using Moat.Gateway.Upstreams;

namespace Moat.Gateway;

/// <summary>Registers the model API request path: its stages, the limiter and the background parts they feed.</summary>
public static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddMoatGateway(this IServiceCollection services)
    {
        // Moat:Limits is the documented section; Moat:Gateway is read too, last (both spellings are in use).
        services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.SectionName)
            .BindConfiguration(GatewayOptions.AlternateSectionName)
            .ValidateOnStart();
        services.AddOptions<ModelCatalogOptions>().BindConfiguration("Moat").ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelCatalogOptions>, GatewayOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<GatewayMetrics>();
        services.TryAddSingleton<TokenCounter>();
        services.TryAddSingleton<UpstreamSelector>();
        services.TryAddSingleton<UpstreamHttpClient>();
        services.TryAddSingleton<InProcessRateLimiter>();
        services.TryAddSingleton<IRateLimiter>(provider => provider.GetRequiredService<InProcessRateLimiter>());
        services.AddHostedService<LimiterPreload>();

        // The stages, in request order.
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<GatewayOptions>>().Value);
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<ModelCatalogOptions>>().Value);
        services.TryAddSingleton<BearerAuthenticator>();
        services.TryAddSingleton<Admission>();
        services.TryAddSingleton<QuotaGate>();
        services.TryAddSingleton<InFlightCalls>();
        services.AddHostedService(provider => provider.GetRequiredService<InFlightCalls>());
        services.TryAddSingleton<UpstreamForwarder>();
        services.TryAddSingleton<RefusalSummarizer>();
        services.AddHostedService(provider => provider.GetRequiredService<RefusalSummarizer>());
        services.TryAddSingleton<Settlement>();
        services.TryAddSingleton<ModelApiHandler>();
        services.TryAddSingleton<ModelsEndpoint>();
        return services;
    }
}
