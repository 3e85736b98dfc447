using BenchmarkDotNet.Attributes;
using Moat.Gateway.Tokens;

namespace Moat.Benchmarks;

/// <summary>Prompt token counting with o200k_base on 200-word prompts: one repeated prompt and 64 rotating ones.</summary>
public class TokenCounterBenchmarks
{
    private readonly TokenCounter _counter = new();
    private string[] _prompts = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _counter.Warm("o200k_base");
        _prompts = new string[64];
        for (var i = 0; i < _prompts.Length; i++)
        {
            _prompts[i] = SampleText.WordsOf(200, 1000 + i);
        }
    }

    [Benchmark]
    public int Count200Words_SamePrompt() => _counter.CountChat("o200k_base", _prompts[0], 2);

    [Benchmark]
    public int Count200Words_RotatingPrompts() => _counter.CountChat("o200k_base", _prompts[_next++ & 63], 2);
}
