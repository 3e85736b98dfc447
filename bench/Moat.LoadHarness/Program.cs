using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moat.Core.Access;
using Moat.Core.Quotas;
using Moat.Core.Signals;
using Moat.Server;
using Moat.Storage;

// The load benchmark's Moat: the host `moat serve` builds (MoatApplication.Create, same arguments and settings),
// plus one organisation with limits far above what a benchmark can send and one key, whose secret is printed as
// "MOAT_BENCH_KEY=<secret>" once the gateway listens. Runs until it is stopped.
//
// One extra route, GET /_bench/gc, reports the process's allocated bytes and GC counts, so the benchmark can
// give allocations per request. It is added by this harness only, never by `moat serve`.

var app = MoatApplication.Create(args, builder =>
    builder.Services.AddSingleton<IStartupFilter, GcStatsStartupFilter>());
await MoatApplication.PrepareAsync(app, TextWriter.Null);
await app.StartAsync();

var organizations = app.Services.GetRequiredService<OrganizationStore>();
var keys = app.Services.GetRequiredService<ApiKeyStore>();
var org = await organizations.CreateAsync("load-benchmark", "enterprise", OrgState.Active);
await organizations.UpdateLimitsAsync(org.Id, new QuotaLimits(int.MaxValue, long.MaxValue / 4, long.MaxValue / 4));
var key = await keys.CreateAsync(org.Id, "load-benchmark")
    ?? throw new InvalidOperationException("The benchmark organisation vanished before its key was created.");

Console.WriteLine($"MOAT_BENCH_KEY={key.Secret}");
// Which request-path sinks this build of the host registers (detection features, provenance outputs).
Console.WriteLine($"MOAT_BENCH_SINKS=features:{app.Services.GetServices<IRequestFeatureSink>().Count()},served:{app.Services.GetServices<IServedOutputSink>().Count()}");
Console.WriteLine($"Moat load harness listening on {string.Join(", ", app.Urls)}");
await Console.Out.FlushAsync();
await app.WaitForShutdownAsync();
await app.DisposeAsync();

/// <summary>Maps GET /_bench/gc ahead of the application's own pipeline.</summary>
internal sealed class GcStatsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Map("/_bench/gc", branch => branch.Run(static context =>
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(
                $"allocated={GC.GetTotalAllocatedBytes(precise: true)} gen0={GC.CollectionCount(0)} gen1={GC.CollectionCount(1)} gen2={GC.CollectionCount(2)}\n");
        }));
        next(app);
    };
}
