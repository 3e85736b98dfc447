using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Moat.Admin.Access;
using Moat.Admin.AllowList;
using Moat.Admin.Api;
using Moat.Admin.Cases;
using Moat.Admin.Detection;
using Moat.Admin.Enforcement;
using Moat.Admin.Portal;
using Moat.Admin.SignIn;
using Moat.Detection.Enforcement;
using Moat.Detection.Persistence;
using Moat.Detection.Scoring;

namespace Moat.Admin.Hosting;

/// <summary>Registers the control plane: access programme, enforcement, cases, detection's adapters, and the admin and portal APIs.</summary>
public static class AdminServiceCollectionExtensions
{
    public static IServiceCollection AddMoatAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TermsOptions>().Bind(configuration.GetSection(TermsOptions.SectionName)).ValidateOnStart();
        services.AddOptions<PortalOptions>().Bind(configuration.GetSection(PortalOptions.SectionName)).ValidateOnStart();
        services.AddOptions<KeyManagementOptions>().Bind(configuration.GetSection(KeyManagementOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TermsOptions>, AdminOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PortalOptions>, AdminOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyManagementOptions>, AdminOptionsValidator>());
        services.AddOptions<SignInThrottleOptions>().Bind(configuration.GetSection(SignInThrottleOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SignInThrottleOptions>, SignInThrottleOptionsValidator>());

        // The admin and portal APIs are the only minimal-API JSON in the host, and their contract is snake_case.
        services.Configure<JsonOptions>(options => AdminJson.Configure(options.SerializerOptions));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EnforcementService>();
        services.TryAddSingleton<AccessService>();
        services.TryAddSingleton<CaseService>();
        services.TryAddSingleton<Moat.Admin.Provenance.ProvenanceScanService>();
        services.TryAddSingleton<AllowListService>();
        services.TryAddSingleton<PortalRateLimiter>();
        services.TryAddSingleton<SignInThrottle>();
        services.TryAddSingleton<FailedSignInAuditor>();
        services.AddHostedService(sp => sp.GetRequiredService<FailedSignInAuditor>());

        // Detection's adapters onto the control plane. Registered with Add, not TryAdd, so they replace the defaults
        // of AddMoatDetection whichever of the two is called first (the last registration wins; the engine resolves lazily).
        services.TryAddSingleton<DetectionEnforcementActions>();
        services.AddSingleton<IEnforcementActions>(sp => sp.GetRequiredService<DetectionEnforcementActions>());
        services.TryAddSingleton<OrgContextCache>();
        services.AddSingleton<IOrgContextProvider>(sp => sp.GetRequiredService<OrgContextCache>());
        services.AddHostedService(sp => sp.GetRequiredService<OrgContextCache>());
        services.TryAddSingleton<RiskSnapshotWriter>();
        services.AddSingleton<IRiskSnapshotSink>(sp => sp.GetRequiredService<RiskSnapshotWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<RiskSnapshotWriter>());
        // Detection's state across restarts; /readyz waits for it to be read back.
        services.TryAddSingleton<DetectionCheckpointStore>();
        services.AddSingleton<IDetectionCheckpointStore>(sp => sp.GetRequiredService<DetectionCheckpointStore>());
        services.AddHealthChecks().AddCheck<DetectionRestoreHealthCheck>("detection", tags: ["ready"]);
        return services;
    }
}
