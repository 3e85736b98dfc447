using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Moat.Cli.Demo;
using Moat.FakeUpstream;
using Moat.Server;

namespace Moat.Cli.Commands;

/// <summary>`moat demo`: gateway + built-in fake model server + a simulated customer population, on a throwaway SQLite file.</summary>
internal static class DemoCommand
{
    public static Command Create(CliOutput output)
    {
        var urls = HostArguments.Urls("http://127.0.0.1:8080");
        var dataDir = new Option<DirectoryInfo>("--data-dir")
        {
            Description = "Where the demo keeps its database and indexes (wiped at start).",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("data", "demo")),
        };
        var duration = new Option<TimeSpan?>("--duration") { Description = "Stop after this long (e.g. 00:01:00); default: until Ctrl+C." };
        var rate = new Option<double>("--rate") { Description = "Requests per second across all simulated customers.", DefaultValueFactory = _ => 20 };
        var shared = new Option<DirectoryInfo?>("--data") { Description = "The shared data folder with real prompts (default: ../shared/data when present)." };
        var command = new Command("demo", "Run the gateway with a fake model server and simulated customers; prints the console URL.")
        {
            urls, dataDir, duration, rate, shared,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) => HostArguments.RefusingBadConfigurationAsync(output, async () =>
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (result.GetValue(duration) is { } limit)
            {
                stop.CancelAfter(limit);
            }
            var directory = result.GetValue(dataDir)!;
            if (directory.Exists)
            {
                directory.Delete(recursive: true);
            }
            directory.Create();

            await using var upstream = FakeUpstreamHost.Create(["--urls", "http://127.0.0.1:0"], o => o.ChunkDelayMs = 5);
            await upstream.StartAsync(stop.Token);
            var upstreamUrl = upstream.Urls.First();

            var token = Environment.GetEnvironmentVariable("MOAT_ADMIN_TOKEN") is { Length: > 0 } configured
                ? configured
                : GenerateAdminToken();
            string[] args =
            [
                "--urls", result.GetValue(urls)!,
                $"--Moat:DataDir={directory.FullName}",
                $"--Moat:Admin:Token={token}",
                "--Moat:Models:0:Id=moat-large",
                $"--Moat:Models:0:Upstreams:0:BaseUrl={upstreamUrl}/v1",
                "--Moat:Models:1:Id=moat-small",
                $"--Moat:Models:1:Upstreams:0:BaseUrl={upstreamUrl}/v1",
                "--Logging:LogLevel:Default=Warning",
                .. result.UnmatchedTokens,
            ];
            await using var app = MoatApplication.Create(args);
            await MoatApplication.PrepareAsync(app, TextWriter.Null, stop.Token);
            await app.StartAsync(stop.Token);
            var gatewayUrl = app.Urls.First();

            var population = await DemoPopulation.SeedAsync(app.Services, DemoPrompts.Load(result.GetValue(shared)), stop.Token);
            await Console.Out.WriteLineAsync($$"""
                Moat demo is running.
                  Model API   {{gatewayUrl}}/v1   (models: moat-large, moat-small)
                  Console     {{gatewayUrl}}/console
                  Admin API   {{gatewayUrl}}/admin/v1   (admin token: {{token}})
                  Metrics     {{gatewayUrl}}/metrics   (Authorization: Bearer <admin token>)
                  Customers   {{population.Count}} simulated organisations sending ~{{result.GetValue(rate)}} requests/s
                Try: curl {{gatewayUrl}}/v1/chat/completions -H 'Authorization: Bearer {{population.SampleKey}}' -H 'Content-Type: application/json' -d '{"model":"moat-large","messages":[{"role":"user","content":"Hello"}]}'
                Press Ctrl+C to stop.
                """);
            var traffic = await population.RunAsync(new Uri(gatewayUrl), result.GetValue(rate), stop.Token);
            await Console.Out.WriteLineAsync($"Demo stopped after {traffic.Sent} requests ({traffic.Succeeded} served, {traffic.Refused} refused).");
            await app.StopAsync(CancellationToken.None);
            await upstream.StopAsync(CancellationToken.None);
            return 0;
        }));
        return command;
    }

    /// <summary>A fresh random admin token for a demo run (40 characters: long enough for <c>Moat:Admin:Token</c>'s check).</summary>
    internal static string GenerateAdminToken() =>
        "moat-admin-demo-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
}
