using System.Net.Http.Headers;
using Moat.Gateway.Parsing;

namespace Moat.Gateway.Upstreams;

/// <summary>One configured upstream of a model, with its passive health state.</summary>
public sealed class UpstreamEndpoint
{
    private long _unhealthyUntilTicks;

    public UpstreamEndpoint(string modelId, string baseUrl, string? apiKey, int weight)
    {
        ModelId = modelId;
        BaseUrl = baseUrl.TrimEnd('/');
        Name = new Uri(BaseUrl).Authority;
        Weight = Math.Max(1, weight);
        Authorization = string.IsNullOrEmpty(apiKey) ? null : new AuthenticationHeaderValue("Bearer", apiKey);
        _chat = new Uri(BaseUrl + ModelEndpoint.ChatCompletions.Path());
        _completions = new Uri(BaseUrl + ModelEndpoint.Completions.Path());
        _embeddings = new Uri(BaseUrl + ModelEndpoint.Embeddings.Path());
    }

    public string ModelId { get; }
    public string BaseUrl { get; }

    /// <summary>host:port, safe to log and tag metrics with (never the key).</summary>
    public string Name { get; }
    public int Weight { get; }
    public AuthenticationHeaderValue? Authorization { get; }

    public bool IsHealthyAt(long nowTicks) => Volatile.Read(ref _unhealthyUntilTicks) <= nowTicks;

    public void MarkUnhealthy(long untilTicks) => Volatile.Write(ref _unhealthyUntilTicks, untilTicks);

    public void MarkHealthy() => Volatile.Write(ref _unhealthyUntilTicks, 0);

    private readonly Uri _chat;
    private readonly Uri _completions;
    private readonly Uri _embeddings;

    /// <summary>The upstream URL of an operation; built once, not per request.</summary>
    public Uri UriFor(ModelEndpoint endpoint) => endpoint switch
    {
        ModelEndpoint.ChatCompletions => _chat,
        ModelEndpoint.Completions => _completions,
        _ => _embeddings,
    };
}
