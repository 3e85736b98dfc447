using BenchmarkDotNet.Attributes;

namespace Moat.Provenance.Benchmarks;

/// <summary>Cost of the three operations the gateway and the admin API pay for: fingerprint, ingest, search.</summary>
[MemoryDiagnoser]
public class ProvenanceBenchmarks
{
    private readonly Fingerprinter _fingerprinter = new(new ProvenanceOptions().FingerprintSettings());
    private string _directory = "";
    private DiskProvenanceIndex _index = null!;
    private int _next;
    private string _query = "";

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "moat-prov-bench-" + Guid.NewGuid().ToString("N"));
        _index = new DiskProvenanceIndex(new ProvenanceOptions { Directory = _directory }, TimeProvider.System);
        // A populated index whose posting lists stay under the common-fingerprint cap, so search walks them all:
        // 3,000 variants of the sample answers with 30% of the words replaced.
        var random = new Random(1);
        for (var i = 0; i < 3_000; i++) _index.Add(Served(Variant(SampleOutputs.Texts[i % 3], random)));
        _query = Variant(SampleOutputs.Texts[1], random);
        _index.Flush();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _index.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public uint[] FingerprintOneOutput() => _fingerprinter.ForIndex(SampleOutputs.Texts[0]);

    [Benchmark]
    public void IngestOneOutput() => _index.Add(Served(SampleOutputs.Texts[_next % 3]));

    [Benchmark]
    public ProvenanceResult SearchOneOutput() => _index.Search(_query);

    private ServedText Served(string text)
    {
        var n = _next++;
        return new ServedText($"org_{n % 500}", $"key_{n % 1500}", $"req_{n:D9}", "model-a", DateTimeOffset.UtcNow, text);
    }

    private static string Variant(string text, Random random)
    {
        var words = text.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            if (random.Next(10) < 3) words[i] = "variant" + random.Next(1000);
        }

        return string.Join(' ', words);
    }
}
