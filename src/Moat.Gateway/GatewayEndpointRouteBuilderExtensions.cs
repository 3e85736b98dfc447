using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Moat.Core.Errors;
using Moat.Gateway.Errors;
using Moat.Gateway.Parsing;
using Moat.Gateway.Pipeline;
using Moat.Gateway.Pipeline.Models;

namespace Moat.Gateway;

/// <summary>Maps the OpenAI-compatible model API under /v1.</summary>
public static class GatewayEndpointRouteBuilderExtensions
{
    public static IEndpointRouteBuilder MapMoatModelApi(this IEndpointRouteBuilder endpoints)
    {
        var handler = endpoints.ServiceProvider.GetRequiredService<ModelApiHandler>();
        var models = endpoints.ServiceProvider.GetRequiredService<ModelsEndpoint>();
        var time = endpoints.ServiceProvider.GetRequiredService<TimeProvider>();
        var v1 = endpoints.MapGroup("/v1").ExcludeFromDescription();
        v1.MapPost("/chat/completions", (HttpContext context) => handler.HandleAsync(context, ModelEndpoint.ChatCompletions));
        v1.MapPost("/completions", (HttpContext context) => handler.HandleAsync(context, ModelEndpoint.Completions));
        v1.MapPost("/embeddings", (HttpContext context) => handler.HandleAsync(context, ModelEndpoint.Embeddings));
        v1.MapGet("/models", (HttpContext context) => models.HandleAsync(context, null));
        v1.MapGet("/models/{**id}", (HttpContext context, string id) => models.HandleAsync(context, id));
        // Anything else under /v1 answers in the OpenAI error shape rather than an empty 404/405.
        v1.Map("/{**rest}", (HttpContext context) =>
        {
            context.Response.Headers["x-request-id"] = RequestIds.Next(time.GetUtcNow());
            return OpenAiErrorWriter.WriteAsync(context, OpenAiError.NotFound(context.Request.Path));
        });
        return endpoints;
    }
}
