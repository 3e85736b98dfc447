using System.Diagnostics;
using Moat.Gateway.Parsing;

namespace Moat.Gateway.Telemetry;

/// <summary>
/// Spans of the request path, one per stage, named and tagged after OpenTelemetry's GenAI semantic conventions
/// (<c>gen_ai.*</c>) plus <c>moat.*</c>. With no listener (tracing off) <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null and nothing is allocated. While the forward span is current, the handler's propagator writes the
/// W3C <c>traceparent</c> header on the upstream request.
/// </summary>
public static class GatewayTracing
{
    public const string SourceName = "Moat.Gateway";

    internal static readonly ActivitySource Source = new(SourceName);

    internal static Activity? StartCall(ModelEndpoint endpoint)
    {
        var activity = Source.StartActivity(Operation(endpoint), ActivityKind.Server);
        activity?.SetTag("gen_ai.operation.name", Operation(endpoint));
        return activity;
    }

    internal static Activity? StartStage(string stage) => Source.StartActivity(stage, ActivityKind.Internal);

    internal static Activity? StartForward(string model, string upstream)
    {
        // The span name is built only when someone listens: with tracing off the request path allocates nothing here.
        if (!Source.HasListeners())
        {
            return null;
        }
        var activity = Source.StartActivity("moat.forward " + model, ActivityKind.Client);
        activity?.SetTag("gen_ai.request.model", model);
        activity?.SetTag("server.address", upstream);
        return activity;
    }

    /// <summary>The GenAI operation name of an endpoint (also the span name, as the conventions suggest).</summary>
    public static string Operation(ModelEndpoint endpoint) => endpoint switch
    {
        ModelEndpoint.ChatCompletions => "chat",
        ModelEndpoint.Completions => "text_completion",
        ModelEndpoint.Embeddings => "embeddings",
        _ => "list_models",
    };
}
