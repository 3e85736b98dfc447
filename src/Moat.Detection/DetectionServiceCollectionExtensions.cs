using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Core.Models;
using Moat.Core.Signals;
using Moat.Detection.Benchmarks;
using Moat.Detection.Enforcement;
using Moat.Detection.Persistence;
using Moat.Detection.Scoring;

namespace Moat.Detection;

/// <summary>Registers distillation detection, risk scoring and the enforcement policy.</summary>
public static class DetectionServiceCollectionExtensions
{
    /// <summary>
    /// Adds the detection engine (also as <see cref="IRequestFeatureSink"/>), <see cref="RiskScorer"/>, the
    /// background loop, and — when an <see cref="IEnforcementActions"/> is registered — the <see cref="PolicyEngine"/>.
    /// Binds <c>Moat:Detection</c> and <c>Moat:Enforcement</c> and validates them on start. With an
    /// <see cref="IDetectionCheckpointStore"/> registered, the loop restores checkpointed state before it runs and
    /// <see cref="DetectionCheckpointer"/> writes it back (<c>Moat:Detection:CheckpointIntervalSeconds</c>).
    /// </summary>
    public static IServiceCollection AddMoatDetection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DetectionOptions>()
            .Bind(configuration.GetSection(DetectionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<DetectionCheckpointOptions>()
            .Bind(configuration.GetSection(DetectionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<EnforcementOptions>()
            .Bind(configuration.GetSection(EnforcementOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IOrgContextProvider>(NoOrgContextProvider.Instance);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DetectionOptions>>().Value;
            var models = configuration.GetSection("Moat").Get<ModelCatalogOptions>()?.Models ?? [];
            foreach (var model in models)
            {
                if (model.ReleasedAt is { } released && !string.IsNullOrEmpty(model.Id))
                {
                    options.ModelReleases.TryAdd(model.Id, released);
                }
            }
            // Replicas sharing Redis each see part of a conversation (until one scorer sees all traffic): take assistant
            // turns at their word there, verify them against what this process served on a single replica.
            options.VerifyConversations ??= string.IsNullOrWhiteSpace(configuration["Moat:Redis:ConnectionString"]);
            return new DetectionState(options);
        });
        services.TryAddSingleton(sp => LoadBenchmarkIndex(sp));
        services.TryAddSingleton(sp => new RiskScorer(
            sp.GetRequiredService<DetectionState>(),
            sp.GetRequiredService<IOrgContextProvider>(),
            sp.GetRequiredService<IOptions<EnforcementOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new PolicyEngine(
            sp.GetRequiredService<RiskScorer>(),
            sp.GetRequiredService<IEnforcementActions>(),
            sp.GetRequiredService<IOrgContextProvider>(),
            sp.GetRequiredService<IOptions<EnforcementOptions>>().Value,
            sp.GetRequiredService<ILogger<PolicyEngine>>(),
            sp.GetRequiredService<TimeProvider>()));
        // Restores and checkpoints detection state when the host registers an IDetectionCheckpointStore (the control plane does).
        services.TryAddSingleton(sp => new DetectionCheckpointer(
            sp.GetRequiredService<DetectionState>(),
            sp.GetRequiredService<RiskScorer>(),
            sp.GetService<IDetectionCheckpointStore>(),
            sp.GetService<IEnforcementActions>() is null ? null : sp.GetRequiredService<PolicyEngine>(),
            sp.GetRequiredService<IOptions<DetectionCheckpointOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DetectionCheckpointer>>()));
        services.TryAddSingleton(sp =>
        {
            var observers = new List<IRiskObserver>(sp.GetServices<IRiskObserver>());
            if (sp.GetService<IEnforcementActions>() is not null)
            {
                observers.Add(sp.GetRequiredService<PolicyEngine>());
            }
            return new DetectionEngine(
                sp.GetRequiredService<DetectionState>(),
                sp.GetRequiredService<RiskScorer>(),
                sp.GetRequiredService<BenchmarkIndex>(),
                observers,
                sp.GetService<IRiskSnapshotSink>(),
                sp.GetRequiredService<ILogger<DetectionEngine>>(),
                sp.GetService<IMeterFactory>(),
                sp.GetService<Semantic.IPromptEmbedder>());
        });
        services.TryAddSingleton<IRequestFeatureSink>(sp => sp.GetRequiredService<DetectionEngine>());
        services.AddHostedService<DetectionHostedService>();
        return services;
    }

    private static BenchmarkIndex LoadBenchmarkIndex(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<DetectionOptions>>().Value;
        var root = sp.GetService<IHostEnvironment>()?.ContentRootPath ?? AppContext.BaseDirectory;
        var directory = Path.GetFullPath(Path.Combine(root, options.DataDir));
        var index = BenchmarkIndexLoader.Load(directory);
        var logger = sp.GetRequiredService<ILogger<BenchmarkIndex>>();
        DetectionLog.BenchmarkIndexLoaded(logger, index.Count, Directory.Exists(directory) ? directory : "shipped fingerprints");
        return index;
    }
}
