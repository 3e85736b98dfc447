using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Moat.Core.Models;
using Moat.Core.Quotas;
using Moat.Gateway.Pipeline;
using Moat.Gateway.Quotas;
using Moat.Gateway.Telemetry;
using Moat.Gateway.Tokens;
using Moat.Gateway.Upstreams;

namespace Moat.Gateway;

/// <summary>Registers the model API request path.</summary>
public static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddMoatGateway(this IServiceCollection services)
    {
        services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.SectionName)
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
        services.TryAddSingleton<IRateLimiter, InProcessRateLimiter>();
        services.TryAddSingleton<ModelApiHandler>();
        return services;
    }
}
