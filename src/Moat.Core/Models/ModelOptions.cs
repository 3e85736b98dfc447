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
