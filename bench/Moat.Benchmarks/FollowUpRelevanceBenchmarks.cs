using BenchmarkDotNet.Attributes;
using Moat.Detection.Text;

namespace Moat.Benchmarks;

/// <summary>
/// The detection loop's extra work for a request with earlier turns: is its user message a follow-up of the previous
/// turn and answer, or a new task? (Content words of the three texts, at most 4,000 characters each; off the request path.)
/// </summary>
[MemoryDiagnoser]
public class FollowUpRelevanceBenchmarks
{
    [Params(60, 400)]
    public int ReplyWords { get; set; }

    private string _turn = "";
    private string _priorUser = "";
    private string _reply = "";

    [GlobalSetup]
    public void Setup()
    {
        _turn = SampleText.WordsOf(40, seed: 3);
        _priorUser = SampleText.WordsOf(40, seed: 5);
        _reply = SampleText.WordsOf(ReplyWords, seed: 7);
    }

    [Benchmark]
    public bool IsStandalone() => FollowUpRelevance.IsStandalone(_turn, _priorUser, _reply);
}
