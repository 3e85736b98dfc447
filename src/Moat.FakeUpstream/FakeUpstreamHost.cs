using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moat.FakeUpstream.Text;

namespace Moat.FakeUpstream;

/// <summary>A ready Kestrel host serving only the fake upstream, for <c>moat fake-upstream</c>, tests and benchmarks.</summary>
public static class FakeUpstreamHost
{
    /// <summary>
    /// Builds (does not start) the host. <paramref name="args"/> are ordinary ASP.NET Core
    /// arguments such as <c>--urls</c> and <c>--FakeUpstream:LatencyMs=20</c>.
    /// </summary>
    public static WebApplication Create(string[] args, Action<FakeUpstreamOptions>? configure = null)
    {
        // No configuration file watchers: tests start many of these in one process and inotify instances are scarce.
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
        // Per-request logs would dominate the cost of a load benchmark against this server.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddFakeUpstream(configure);

        var app = builder.Build();
        app.MapFakeUpstream();
        // Load the tokenizer vocabulary in the background, so the first request does not wait for it.
        app.Lifetime.ApplicationStarted.Register(static () => _ = Task.Run(TokenCounter.Warm));
        return app;
    }
}
