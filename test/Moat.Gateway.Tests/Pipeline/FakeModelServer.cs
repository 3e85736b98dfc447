using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Moat.Gateway.Tests.Pipeline;

/// <summary>
/// A model server on 127.0.0.1 with a random port, answering with the given handler. UpstreamHttpClient builds its own
/// SocketsHttpHandler, so the forwarder's tests need a real socket to talk to.
/// </summary>
internal sealed class FakeModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _hits;

    private FakeModelServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Name = new Uri(baseUrl).Authority;
    }

    /// <summary>The base URL with its version segment, as configured for a model.</summary>
    public string BaseUrl { get; }

    /// <summary>host:port, the forwarder's name for this upstream.</summary>
    public string Name { get; }

    public int Hits => Volatile.Read(ref _hits);

    /// <summary>The headers of every request received.</summary>
    public ConcurrentQueue<IHeaderDictionary> Requests { get; } = new();

    public static async Task<FakeModelServer> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeModelServer? server = null;
        app.Run(context =>
        {
            Interlocked.Increment(ref server!._hits);
            server.Requests.Enqueue(new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase)));
            return handler(context);
        });
        await app.StartAsync();
        server = new FakeModelServer(app, app.Urls.First().TrimEnd('/') + "/v1");
        return server;
    }

    /// <summary>A base URL nothing listens on: connecting is refused.</summary>
    public static string Refusing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/v1";
    }

    public static Task Json(HttpContext context, string body, int status = 200, bool contentLength = true)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (contentLength)
        {
            context.Response.ContentLength = System.Text.Encoding.UTF8.GetByteCount(body);
        }
        return context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // A handler still waiting on a cut connection: nothing more to wait for.
        }
        await _app.DisposeAsync();
    }
}
