using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Moat.FakeUpstream;

namespace Moat.Cli.Commands;

/// <summary>`moat fake-upstream`: the built-in OpenAI-compatible model server for tests, demos and benchmarks.</summary>
internal static class FakeUpstreamCommand
{
    public static Command Create()
    {
        var urls = HostArguments.Urls("http://127.0.0.1:8081");
        var replay = new Option<FileInfo?>("--replay") { Description = "JSONL file of {instruction, input?, output} records answered verbatim." };
        var latency = new Option<int?>("--latency-ms") { Description = "Delay before the response headers." };
        var chunkDelay = new Option<int?>("--chunk-delay-ms") { Description = "Delay between streamed chunks." };
        var failureRate = new Option<double?>("--failure-rate") { Description = "Fraction of requests answered with --failure-status." };
        var failureStatus = new Option<int?>("--failure-status") { Description = "Status code of injected failures (default 500)." };
        var dropRate = new Option<double?>("--drop-rate") { Description = "Fraction of requests whose connection is dropped." };
        var command = new Command("fake-upstream", "Run a deterministic OpenAI-compatible fake model server.")
        {
            urls, replay, latency, chunkDelay, failureRate, failureStatus, dropRate,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var args = new List<string> { "--urls", result.GetValue(urls)! };
            args.AddRange(result.UnmatchedTokens);
            await using var app = FakeUpstreamHost.Create([.. args], options =>
            {
                if (result.GetValue(replay) is { } file)
                {
                    options.ReplayFile = file.FullName;
                }
                options.LatencyMs = result.GetValue(latency) ?? options.LatencyMs;
                options.ChunkDelayMs = result.GetValue(chunkDelay) ?? options.ChunkDelayMs;
                options.FailureRate = result.GetValue(failureRate) ?? options.FailureRate;
                options.FailureStatus = result.GetValue(failureStatus) ?? options.FailureStatus;
                options.DropRate = result.GetValue(dropRate) ?? options.DropRate;
            });
            await app.StartAsync(cancellationToken);
            await Console.Out.WriteLineAsync($"Fake upstream listening on {string.Join(", ", app.Urls)} (OpenAI API under /v1).");
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
