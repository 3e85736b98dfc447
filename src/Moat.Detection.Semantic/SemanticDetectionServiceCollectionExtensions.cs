using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Moat.Detection.Semantic;

/// <summary>Registers the MiniLM embedder detection's semantic contrast uses (unless <c>Moat:Detection:Semantic:Enabled</c> is false).</summary>
public static class SemanticDetectionServiceCollectionExtensions
{
    public static IServiceCollection AddMoatSemanticDetection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SemanticDetectionOptions>()
            .Bind(configuration.GetSection(SemanticDetectionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var enabled = configuration.GetSection(SemanticDetectionOptions.SectionName).Get<SemanticDetectionOptions>()?.Enabled ?? true;
        if (enabled)
        {
            services.TryAddSingleton<IPromptEmbedder>(sp =>
                new MiniLmPromptEmbedder(sp.GetRequiredService<IOptions<SemanticDetectionOptions>>().Value.CacheCapacity));
        }
        return services;
    }
}
