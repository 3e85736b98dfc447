using Moat.Provenance;

namespace Moat.Provenance.Eval;

/// <summary>Prints the never-served answers that score highest, next to the served output they resemble.</summary>
public static class NegativeInspector
{
    public static void Run(IServedCorpus corpus)
    {
        var served = corpus.Served().ToList();
        var byRequest = served.ToDictionary(s => s.Served.RequestId);
        var dir = Path.Combine(Path.GetTempPath(), "moat-prov-debug-" + Guid.NewGuid().ToString("N"));
        using var index = new DiskProvenanceIndex(new ProvenanceOptions { Directory = dir, RetentionDays = 3650, UseShingles = Environment.GetEnvironmentVariable("NOSHINGLES") is null, ReportIdenticalRivals = Environment.GetEnvironmentVariable("NOIDENT") is null }, TimeProvider.System);
        foreach (var s in served) index.Add(s.Served);
        var scored = corpus.NeverServed().Where(n => AttributionEvaluation.WordCount(n.Text) >= 50)
            .Select(n => (n, top: index.Rank(n.Text, 1, double.Epsilon).FirstOrDefault()))
            .Where(x => x.top is not null).OrderByDescending(x => x.top!.Score).Take(12).ToList();
        foreach (var (n, top) in scored)
        {
            var src = byRequest[top!.RequestId];
            Console.WriteLine($"==== score {top.Score:F1} frac {top.MatchedFraction:F2} neg {n.SourceId}/{n.Generator} vs {src.SourceId}/{src.Generator}");
            foreach (var (id, a, sh) in index.RankComponents(n.Text).OrderByDescending(x => x.Alignment).Take(4))
            {
                var other = byRequest[id];
                Console.WriteLine($"   cand {id} {other.SourceId}/{other.Generator} A {a:F1} S {sh:F1} same-text-as-top {other.Served.Text == src.Served.Text}");
            }

            Console.WriteLine("NEG: " + Clip(n.Text));
            Console.WriteLine("SRV: " + Clip(src.Served.Text));
        }

        Directory.Delete(dir, true);
    }

    private static string Clip(string s) => (s.Length > 400 ? s[..400] : s).Replace('\n', ' ');
}
