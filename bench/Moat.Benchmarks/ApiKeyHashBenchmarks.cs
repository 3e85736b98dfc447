using BenchmarkDotNet.Attributes;
using Moat.Core.Access;

namespace Moat.Benchmarks;

/// <summary>Authentication's per-request work: SHA-256 of the bearer secret to the hex form the key directory is keyed by.</summary>
public class ApiKeyHashBenchmarks
{
    private readonly string _header = "Bearer " + ApiKeySecret.Generate();

    [Benchmark]
    public string HashBearerSecret() => ApiKeySecret.Hash(_header.AsSpan(7));
}
