namespace Moat.Gateway.Parsing;

/// <summary>The model API operations the gateway forwards.</summary>
public enum ModelEndpoint
{
    ChatCompletions,
    Completions,
    Embeddings,
    Models,
}

public static class ModelEndpointNames
{
    /// <summary>The path below the upstream's /v1 base and the ledger's endpoint name.</summary>
    public static string Path(this ModelEndpoint endpoint) => endpoint switch
    {
        ModelEndpoint.ChatCompletions => "/chat/completions",
        ModelEndpoint.Completions => "/completions",
        ModelEndpoint.Embeddings => "/embeddings",
        _ => "/models",
    };
}
