using Microsoft.Extensions.Options;
using Moat.Core.Models;

namespace Moat.Gateway.Upstreams;

/// <summary>
/// Orders a model's upstreams for one request: a weighted random choice among the healthy ones first, then the
/// rest (healthy before cooling-down), so failover walks every upstream at most once.
/// </summary>
public sealed class UpstreamSelector
{
    private readonly Dictionary<string, UpstreamEndpoint[]> _byModel;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cooldown;

    public UpstreamSelector(IOptions<ModelCatalogOptions> catalog, IOptions<GatewayOptions> gateway, TimeProvider time)
    {
        _time = time;
        _cooldown = TimeSpan.FromSeconds(gateway.Value.UnhealthyCooldownSeconds);
        _byModel = new Dictionary<string, UpstreamEndpoint[]>(StringComparer.Ordinal);
        foreach (var model in catalog.Value.Models)
        {
            var endpoints = new UpstreamEndpoint[model.Upstreams.Count];
            for (var i = 0; i < endpoints.Length; i++)
            {
                var upstream = model.Upstreams[i];
                endpoints[i] = new UpstreamEndpoint(model.Id, upstream.BaseUrl, upstream.ApiKey, upstream.Weight);
            }
            _byModel[model.Id] = endpoints;
            MaxUpstreams = Math.Max(MaxUpstreams, endpoints.Length);
        }
        MaxUpstreams = Math.Max(1, MaxUpstreams);
    }

    /// <summary>Fills <paramref name="order"/> with the attempt order and returns how many entries it wrote.</summary>
    public int Order(string modelId, Span<UpstreamEndpoint?> order)
    {
        if (!_byModel.TryGetValue(modelId, out var endpoints))
        {
            return 0;
        }
        var count = Math.Min(endpoints.Length, order.Length);
        if (endpoints.Length == 1)
        {
            order[0] = endpoints[0];
            return 1;
        }
        var now = _time.GetUtcNow().UtcTicks;
        Span<bool> taken = stackalloc bool[endpoints.Length];
        var written = 0;
        // Healthy upstreams first, each pick weighted; then the cooling-down ones in the same way.
        foreach (var healthyPass in (ReadOnlySpan<bool>)[true, false])
        {
            while (written < count)
            {
                var total = 0;
                for (var i = 0; i < endpoints.Length; i++)
                {
                    if (!taken[i] && endpoints[i].IsHealthyAt(now) == healthyPass)
                    {
                        total += endpoints[i].Weight;
                    }
                }
                if (total == 0)
                {
                    break;
                }
                var ticket = Random.Shared.Next(total);
                for (var i = 0; i < endpoints.Length; i++)
                {
                    if (taken[i] || endpoints[i].IsHealthyAt(now) != healthyPass)
                    {
                        continue;
                    }
                    ticket -= endpoints[i].Weight;
                    if (ticket < 0)
                    {
                        taken[i] = true;
                        order[written++] = endpoints[i];
                        break;
                    }
                }
            }
        }
        return written;
    }

    /// <summary>The most upstreams any model has (sizes the per-request attempt order).</summary>
    public int MaxUpstreams { get; }

    public void ReportFailure(UpstreamEndpoint endpoint) =>
        endpoint.MarkUnhealthy(_time.GetUtcNow().UtcTicks + _cooldown.Ticks);

    public static void ReportSuccess(UpstreamEndpoint endpoint) => endpoint.MarkHealthy();
}
