using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Moat.Core.Quotas;
using Moat.Gateway.Quotas;
using Moat.Gateway.Upstreams;

namespace Moat.Benchmarks;

/// <summary>Small fixed costs every forwarded request pays: the upstream URI and the six x-ratelimit-* headers.</summary>
public class RequestOverheadBenchmarks
{
    private readonly UpstreamEndpoint _upstream = new("fake-model", "http://127.0.0.1:8081/v1", "upstream-secret", 1);
    private readonly RateLimitStatus _status = new(6_000, 5_999, TimeSpan.FromMilliseconds(10), 10_000_000, 9_998_700, TimeSpan.FromMilliseconds(7.8));
    private readonly HeaderDictionary _headers = new();

    [Benchmark]
    public Uri UpstreamUriFor() => _upstream.UriFor(Moat.Gateway.Parsing.ModelEndpoint.ChatCompletions);

    [Benchmark]
    public int ApplyRateLimitHeaders()
    {
        RateLimitHeaders.Apply(_headers, _status);
        return _headers.Count;
    }
}
