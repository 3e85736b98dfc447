using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Win32.SafeHandles;
using Moat.Core.Ledger;
using Moat.Storage;

// How long ILedgerSink.WriteAsync takes, per durability, at several concurrencies: each "writer" is one request
// awaiting its ledger write back to back (the gateway awaits it before the last byte). SQLite on a temp data dir.
// Usage: dotnet run -c Release --project bench/Moat.LedgerBench -- [seconds per run, default 3]
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var concurrencies = new[] { 1, 8, 32, 128 };

var raw = RawFsync(2_000);
Console.WriteLine($"one 256-byte append + fsync (raw, 2,000 times): p50 {Percentile(raw, 0.5):F3} ms, p99 {Percentile(raw, 0.99):F3} ms");
Console.WriteLine();
Console.WriteLine("| durability | writers | WriteAsync p50 (ms) | p99 (ms) | records/s |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var durability in new[] { LedgerDurability.Memory, LedgerDurability.Wal })
{
    foreach (var writers in concurrencies)
    {
        var (p50, p99, rate) = await MeasureAsync(durability, writers, TimeSpan.FromSeconds(seconds));
        Console.WriteLine($"| {durability} | {writers} | {p50:F3} | {p99:F3} | {rate:N0} |");
    }
}

static async Task<(double P50, double P99, double Rate)> MeasureAsync(LedgerDurability durability, int writers, TimeSpan duration)
{
    var dataDir = Path.Combine(Path.GetTempPath(), "moat-ledger-bench", Guid.NewGuid().ToString("N"));
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Moat:DataDir"] = dataDir,
        ["Moat:Ledger:Durability"] = durability.ToString(),
    }).Build();
    var services = new ServiceCollection().AddLogging().AddMoatStorage(configuration).BuildServiceProvider();
    try
    {
        await MoatDatabase.MigrateAsync(services);
        var hosted = services.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }
        var ledger = services.GetRequiredService<ChannelLedgerWriter>();

        // Warm-up: JIT, SQLite statement preparation, file creation.
        await RunAsync(ledger, writers, TimeSpan.FromMilliseconds(500));
        var (latencies, elapsed) = await RunAsync(ledger, writers, duration);
        await ledger.WhenIdleAsync();
        foreach (var service in Enumerable.Reverse(hosted))
        {
            await service.StopAsync(CancellationToken.None);
        }
        latencies.Sort();
        return (Percentile(latencies, 0.5), Percentile(latencies, 0.99), latencies.Count / elapsed.TotalSeconds);
    }
    finally
    {
        await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataDir, recursive: true);
    }
}

static async Task<(List<double> Latencies, TimeSpan Elapsed)> RunAsync(ChannelLedgerWriter ledger, int writers, TimeSpan duration)
{
    var started = Stopwatch.StartNew();
    var perWriter = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
    {
        var latencies = new List<double>(100_000);
        var sequence = 0;
        while (started.Elapsed < duration)
        {
            var record = new UsageRecord
            {
                RequestId = $"req_{w:D4}_{sequence++:D8}_{Guid.NewGuid():N}",
                OrgId = "org_bench",
                KeyId = "key_bench",
                Endpoint = "/v1/chat/completions",
                Model = "gpt-bench",
                PromptTokens = 120,
                CompletionTokens = 159,
                Status = 200,
                Upstream = "http://127.0.0.1:18181/v1",
                LatencyMs = 12.5,
                Timestamp = DateTimeOffset.UtcNow,
                ClientIp = "203.0.113.7",
                UserAgent = "OpenAI/NET 2.15",
                UsageSource = UsageSources.Upstream,
            };
            var before = Stopwatch.GetTimestamp();
            await ledger.WriteAsync(record);
            latencies.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
        }
        return latencies;
    })));
    var elapsed = started.Elapsed;
    return (perWriter.SelectMany(l => l).ToList(), elapsed);
}

static List<double> RawFsync(int count)
{
    var path = Path.Combine(Path.GetTempPath(), "moat-ledger-bench-fsync-" + Guid.NewGuid().ToString("N"));
    var latencies = new List<double>(count);
    using (SafeFileHandle handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
    {
        var bytes = new byte[256];
        for (var i = 0; i < count; i++)
        {
            var before = Stopwatch.GetTimestamp();
            RandomAccess.Write(handle, bytes, (long)i * bytes.Length);
            RandomAccess.FlushToDisk(handle);
            latencies.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
        }
    }
    File.Delete(path);
    latencies.Sort();
    return latencies;
}

static double Percentile(List<double> sorted, double percentile) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(percentile * sorted.Count))];
