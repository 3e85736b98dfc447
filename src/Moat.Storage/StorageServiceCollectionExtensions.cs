using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moat.Core.Access;
using Moat.Core.Changes;
using Moat.Core.Ledger;
using Moat.Core.Quotas;
using Moat.Storage.Model;

namespace Moat.Storage;

/// <summary>Registers Moat's storage: database, stores, key directory, change feed, ledger and audit log.</summary>
public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddMoatStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .Configure(options =>
            {
                // Moat:DataDir is the host-wide setting; Moat:Storage:DataDir may override it.
                if (configuration.GetSection(StorageOptions.SectionName)["DataDir"] is null
                    && configuration["Moat:DataDir"] is { Length: > 0 } dataDir)
                {
                    options.DataDir = dataDir;
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.AddOptions<AdminTokenOptions>().Bind(configuration.GetSection(AdminTokenOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdminTokenOptions>, AdminTokenOptionsValidator>());
        services.AddOptions<LedgerOptions>().Bind(configuration.GetSection(LedgerOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LedgerOptions>, LedgerOptionsValidator>());
        // Bound from the configuration passed in (not IConfiguration from DI), so hosts and tests without one work alike.
        services.AddOptions<TierCatalogOptions>().Bind(configuration.GetSection("Moat")).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TierCatalogOptions>, TierCatalogOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddPooledDbContextFactory<MoatDbContext>((provider, builder) =>
            MoatDbContextOptions.Configure(builder, provider.GetRequiredService<IOptions<StorageOptions>>().Value));

        services.TryAddSingleton<IChangeFeed, InProcessChangeFeed>();
        services.TryAddSingleton<OrganizationStore>();
        services.TryAddSingleton<ApiKeyStore>();
        services.TryAddSingleton<UsageStore>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<AdminTokenStore>();

        services.TryAddSingleton<DatabaseKeyDirectory>();
        services.TryAddSingleton<IKeyDirectory>(provider => provider.GetRequiredService<DatabaseKeyDirectory>());
        services.AddHostedService<KeyDirectoryRefresher>();

        services.TryAddSingleton<ChannelLedgerWriter>();
        services.TryAddSingleton<ILedgerSink>(provider => provider.GetRequiredService<ChannelLedgerWriter>());
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<ChannelLedgerWriter>());
        services.TryAddSingleton<ILedgerUsageHistory, LedgerUsageHistory>();
        return services;
    }
}
