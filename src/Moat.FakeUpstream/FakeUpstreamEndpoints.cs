using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Moat.FakeUpstream.Handlers;
using Moat.FakeUpstream.Runtime;
using Moat.FakeUpstream.Text;
using Moat.FakeUpstream.Wire;

namespace Moat.FakeUpstream;

/// <summary>Registers and maps the fake OpenAI-compatible model server.</summary>
public static class FakeUpstreamEndpoints
{
    /// <summary>
    /// Registers the fake server's services. Options bind from the "FakeUpstream" configuration
    /// section when an <see cref="IConfiguration"/> is registered; <paramref name="configure"/> runs after.
    /// </summary>
    public static IServiceCollection AddFakeUpstream(this IServiceCollection services, Action<FakeUpstreamOptions>? configure = null)
    {
        services.AddOptions<FakeUpstreamOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FakeUpstreamOptions>, FakeUpstreamOptionsValidator>());
        services.AddSingleton<IConfigureOptions<FakeUpstreamOptions>>(
            provider => new ConfigureNamedOptions<FakeUpstreamOptions>(Options.DefaultName, options => Bind(provider, options)));
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FakeUpstreamRuntime>();
        services.TryAddSingleton<FakeUpstreamStats>();
        services.TryAddSingleton<RequestGate>();
        services.TryAddSingleton<TokenCounter>();
        services.TryAddSingleton<PromptTokenCounter>();
        services.TryAddSingleton<CompletionRequestReader>();
        services.TryAddSingleton<CompletionResponder>();
        services.TryAddSingleton<CompletionsHandler>();
        services.TryAddSingleton<EmbeddingsHandler>();
        services.TryAddSingleton<ModelsHandler>();
        services.TryAddSingleton<ControlHandler>();
        return services;
    }

    /// <summary>
    /// Maps <c>/v1/chat/completions</c>, <c>/v1/completions</c>, <c>/v1/embeddings</c>,
    /// <c>/v1/models</c>, <c>/v1/models/{id}</c> and the <c>/_fake</c> test controls.
    /// </summary>
    public static IEndpointRouteBuilder MapFakeUpstream(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        // Resolving the runtime now loads the replay corpus, so a bad ReplayFile fails at start, not on a request.
        _ = services.GetRequiredService<FakeUpstreamRuntime>();
        var completions = services.GetRequiredService<CompletionsHandler>();
        var embeddings = services.GetRequiredService<EmbeddingsHandler>();
        var models = services.GetRequiredService<ModelsHandler>();
        var control = services.GetRequiredService<ControlHandler>();

        app.MapPost("/v1/chat/completions", (RequestDelegate)completions.HandleChatAsync);
        app.MapPost("/v1/completions", (RequestDelegate)completions.HandleTextAsync);
        app.MapPost("/v1/embeddings", (RequestDelegate)embeddings.HandleAsync);
        app.MapGet("/v1/models", (RequestDelegate)models.ListAsync);
        // Catch-all, because model ids such as "org/model" contain slashes.
        app.MapGet("/v1/models/{**id}", (RequestDelegate)models.GetAsync);

        app.MapGet("/_fake/config", (RequestDelegate)control.GetConfigAsync);
        app.MapPost("/_fake/config", (RequestDelegate)control.PostConfigAsync);
        app.MapGet("/_fake/stats", (RequestDelegate)control.GetStatsAsync);
        app.MapPost("/_fake/reset", (RequestDelegate)control.ResetAsync);
        return app;
    }

    private static void Bind(IServiceProvider provider, FakeUpstreamOptions options)
    {
        if (provider.GetService<IConfiguration>()?.GetSection(FakeUpstreamOptions.SectionName) is not { } section)
        {
            return;
        }

        section.Bind(options);
        // The binder appends configured array items to the default ["fake-model"]; configured models replace it instead.
        if (section.GetSection(nameof(FakeUpstreamOptions.Models)).Get<string[]>() is { Length: > 0 } models)
        {
            options.Models = models;
        }
    }
}
