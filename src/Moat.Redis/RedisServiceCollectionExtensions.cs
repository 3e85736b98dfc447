using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Moat.Core.Changes;
using Moat.Core.Quotas;
using StackExchange.Redis;

namespace Moat.Redis;

/// <summary>Scale-out: when <c>Moat:Redis:ConnectionString</c> is set, limits and the change feed move to Redis.</summary>
public static class RedisServiceCollectionExtensions
{
    /// <summary>Call after AddMoatStorage and AddMoatGateway: it replaces their in-process limiter and change feed.</summary>
    public static IServiceCollection AddMoatRedis(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>());
        if (string.IsNullOrWhiteSpace(configuration[RedisOptions.SectionName + ":ConnectionString"]))
        {
            return services;
        }
        services.TryAddSingleton<IConnectionMultiplexer>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RedisOptions>>().Value;
            var config = ConfigurationOptions.Parse(options.ConnectionString!);
            config.AbortOnConnectFail = false; // start even when Redis is down; the unavailable policy covers the gap
            config.SyncTimeout = options.CommandTimeoutMs;
            config.AsyncTimeout = options.CommandTimeoutMs;
            config.ConnectTimeout = Math.Max(1000, options.CommandTimeoutMs);
            return ConnectionMultiplexer.Connect(config);
        });
        services.TryAddSingleton<InProcessRateLimiter>();
        services.Replace(ServiceDescriptor.Singleton<IRateLimiter, RedisRateLimiter>());
        services.TryAddSingleton<RedisChangeFeed>();
        services.Replace(ServiceDescriptor.Singleton<IChangeFeed>(sp => sp.GetRequiredService<RedisChangeFeed>()));
        services.AddHostedService(sp => sp.GetRequiredService<RedisChangeFeed>());
        return services;
    }
}
