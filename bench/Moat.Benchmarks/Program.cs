using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace Moat.Benchmarks;

/// <summary>
/// Micro-benchmarks of the gateway's per-request work. A short job keeps the whole suite to a few minutes:
/// <c>dotnet run -c Release --project bench/Moat.Benchmarks -- --filter '*'</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithId("Short"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.JoinSummary);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
