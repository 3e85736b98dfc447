using BenchmarkDotNet.Attributes;
using Moat.Gateway.Parsing;

namespace Moat.Benchmarks;

/// <summary>Request admission: <see cref="ModelRequestParser"/> on a one-line and a 4 KB multi-turn chat body.</summary>
public class ParserBenchmarks
{
    private byte[] _small = [];
    private byte[] _large = [];

    [GlobalSetup]
    public void Setup()
    {
        _small = SampleText.SmallChatBody();
        _large = SampleText.ChatBody(4096);
    }

    [Benchmark]
    public ModelRequest? ParseSmallChat() =>
        ModelRequestParser.TryParse(_small, ModelEndpoint.ChatCompletions, out var request, out _) ? request : null;

    [Benchmark]
    public ModelRequest? Parse4KbChat() =>
        ModelRequestParser.TryParse(_large, ModelEndpoint.ChatCompletions, out var request, out _) ? request : null;
}
