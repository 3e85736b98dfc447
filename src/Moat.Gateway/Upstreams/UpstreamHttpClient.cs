using System.Net;
using Microsoft.Extensions.Options;

namespace Moat.Gateway.Upstreams;

/// <summary>
/// The pooled HTTP client to model servers: one <see cref="SocketsHttpHandler"/> for the process, no cookies,
/// redirects, proxies or decompression (bytes are relayed as they come).
/// </summary>
public sealed class UpstreamHttpClient : IDisposable
{
    private readonly HttpMessageInvoker _invoker;

    public UpstreamHttpClient(IOptions<GatewayOptions> options)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(options.Value.ConnectTimeoutSeconds),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            MaxConnectionsPerServer = int.MaxValue,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
        };
        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _invoker.SendAsync(request, cancellationToken);

    public void Dispose() => _invoker.Dispose();
}
