using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Core.Signals;
using Moat.Provenance;

namespace Moat.Provenance.Hosting;

/// <summary>Wires the standalone provenance library into the host: index on local disk, ingestion off the request path.</summary>
public static class ProvenanceServiceCollectionExtensions
{
    public const string SectionName = "Moat:Provenance";

    public static IServiceCollection AddMoatProvenance(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProvenanceOptions>()
            .Bind(configuration.GetSection(SectionName))
            .PostConfigure(options =>
            {
                // Unless set explicitly, the index lives beside the database in the data directory.
                if (string.IsNullOrWhiteSpace(configuration[SectionName + ":Directory"]))
                {
                    options.Directory = Path.Combine(configuration["Moat:DataDir"] ?? "./data", "provenance");
                }
            })
            .Validate(o => o.RetentionDays > 0, $"{SectionName}:RetentionDays must be positive.")
            .Validate(o => o.AttributionThreshold > 0, $"{SectionName}:AttributionThreshold must be positive.")
            .ValidateOnStart();
        // Opened in the background: the host serves model traffic while the segments load (BackgroundOpenedIndex).
        services.TryAddSingleton<IProvenanceIndex>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ProvenanceOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            return new BackgroundOpenedIndex(() => new DiskProvenanceIndex(options, time), time, sp.GetRequiredService<ILogger<BackgroundOpenedIndex>>());
        });
        // Moat:Provenance:Ingest=false: this process searches the index but adds nothing to it (a replica whose outputs
        // are indexed elsewhere, or the load benchmark's request-path-only row). Search still works on what is on disk.
        if (!configuration.GetValue(SectionName + ":Ingest", defaultValue: true))
        {
            return services;
        }
        services.TryAddSingleton<ProvenanceIngestor>();
        services.AddSingleton<IServedOutputSink>(sp => sp.GetRequiredService<ProvenanceIngestor>());
        services.AddHostedService(sp => sp.GetRequiredService<ProvenanceIngestor>());
        return services;
    }
}
