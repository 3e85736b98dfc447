namespace Moat.Core.Models;

/// <summary>One model the gateway serves (configuration <c>Moat:Models[i]</c>).</summary>
public sealed class ModelOptions
{
    public string Id { get; set; } = "";
    public List<UpstreamOptions> Upstreams { get; set; } = [];

    /// <summary>Tokenizer encoding used to count prompt tokens: o200k_base or cl100k_base.</summary>
    public string Encoding { get; set; } = "o200k_base";

    /// <summary>Optional name the upstream knows the model by (defaults to <see cref="Id"/>).</summary>
    public string? UpstreamModel { get; set; }

    /// <summary>When the model was released; the detection engine watches for surges after it.</summary>
    public DateTimeOffset? ReleasedAt { get; set; }

    /// <summary>
    /// Request parameters outside OpenAI's documented set that this model's server may receive (for example vLLM's
    /// <c>top_k</c> or <c>guided_json</c>). Anything else is refused with 400, so customers cannot reach scheduling or
    /// decoding controls (<c>priority</c>, <c>ignore_eos</c>) the operator did not mean to sell.
    /// </summary>
    public List<string> PassThroughParameters { get; set; } = [];

    /// <summary>
    /// Whether content parts may point at remote URLs (images, audio, files) for the model server to fetch. Off by
    /// default: such a URL makes the model server fetch from its own network on a customer's behalf.
    /// </summary>
    public bool AllowRemoteMedia { get; set; }
}

/// <summary>An OpenAI-compatible server that serves a model.</summary>
public sealed class UpstreamOptions
{
    /// <summary>Base URL including the version segment, e.g. http://10.0.0.5:8000/v1.</summary>
    public string BaseUrl { get; set; } = "";
    public string? ApiKey { get; set; }
    public int Weight { get; set; } = 1;
}

/// <summary>The <c>Moat:Models</c> list.</summary>
public sealed class ModelCatalogOptions
{
    public List<ModelOptions> Models { get; set; } = [];

    public ModelOptions? Find(string id)
    {
        foreach (var model in Models)
        {
            if (string.Equals(model.Id, id, StringComparison.Ordinal))
            {
                return model;
            }
        }
        return null;
    }
}
