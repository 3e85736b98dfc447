using System.Net;
using Yarp.ReverseProxy.Forwarder;

// The load benchmark's floor for a .NET proxy: YARP's IHttpForwarder relaying every request, untouched, to one
// upstream over a pooled SocketsHttpHandler (the same handler settings as Moat's UpstreamHttpClient).
// Usage: Moat.YarpBaseline --urls http://127.0.0.1:18083 --upstream http://127.0.0.1:18081

var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddHttpForwarder();
var upstream = builder.Configuration["upstream"]
    ?? throw new InvalidOperationException("Pass the upstream base address with --upstream http://host:port.");

var app = builder.Build();
var invoker = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseCookies = false,
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
    MaxConnectionsPerServer = int.MaxValue,
    ActivityHeadersPropagator = null,
});
var config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(5) };
app.MapForwarder("/{**catch-all}", upstream, config, HttpTransformer.Empty, invoker);
await app.RunAsync();
