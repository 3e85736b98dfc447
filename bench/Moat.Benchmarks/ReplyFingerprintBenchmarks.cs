using BenchmarkDotNet.Attributes;
using Moat.Core.Signals;

namespace Moat.Benchmarks;

/// <summary>
/// Settlement's per-request work for verified conversations: the fingerprint of the served text and of the last
/// assistant turn (whitespace collapsed, XxHash64 of at most 4,096 characters).
/// </summary>
public class ReplyFingerprintBenchmarks
{
    [Params(60, 400)]
    public int Words { get; set; }

    private string _reply = "";

    [GlobalSetup]
    public void Setup() => _reply = SampleText.WordsOf(Words, seed: 7);

    [Benchmark]
    public ulong Fingerprint() => ReplyFingerprint.Of(_reply);
}
