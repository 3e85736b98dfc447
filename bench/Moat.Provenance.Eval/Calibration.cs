using System.Text;
using Moat.Provenance;

namespace Moat.Provenance.Eval;

/// <summary>
/// Calibration on the dev split only: one run per variant collects both component scores of every candidate, then a grid
/// of (threshold T, shingle threshold Ts) pairs is applied offline to the library's combination with ShingleWeight 1.5: a
/// match is attributed when max((A + 1.5 S) / T, S / Ts) ≥ 1. Round 4 chose the alignment's substitution cost and T with
/// the variants "round 3 (no substitution)" and "substitution …", each also on the one-answer-served index
/// ("single-served …", where no rival served answer discounts a never-served one). "dump" variants write every
/// candidate's (A, S) to $TMPDIR/comp-*.jsonl for other combinations (round 3 chose the weight 1.5 that way).
/// </summary>
public static class Calibration
{
    public static string Run(string dataDirectory, IEnumerable<string> only)
    {
        var filter = only.ToList();
        var corpus = new AlpacaCorpus(dataDirectory);
        var single = new AlpacaCorpus(dataDirectory, singleServed: true);
        // Round 4: the substitution cost (2 = no move, round 3) on both indexes.
        var substitution =
            from index in new[] { "", "single-served " }
            from cost in new[] { 2, 1, 0.5, 0.25 }
            select (index + (cost >= 2 ? "round 3 (no substitution)" : $"substitution {cost}"), (Action<ProvenanceOptions>)(o => o.MismatchPenalty = cost));
        var variants = substitution.Concat(new (string Name, Action<ProvenanceOptions> Set)[]
        {
            ("shingle rival 1", o => o.ShingleCompetitorDiscount = 1),
            ("shingle rival 0", o => o.ShingleCompetitorDiscount = 0),
            ("shingle rival 0.5", o => o.ShingleCompetitorDiscount = 0.5),
            ("dump rival 1", o => o.ShingleCompetitorDiscount = 1),
            ("dump dev", o => { }),
            ("dump no-identical-exemption", o => o.ReportIdenticalRivals = false),
            ("dump both splits", o => { }),
        }).ToList();

        var sb = new StringBuilder();
        sb.AppendLine("| variant | Ta | Ts | dev never-served FP | " + string.Join(" | ", AttributionEvaluation.TransformNames) + " |");
        sb.AppendLine("|---|---:|---:|---:|" + string.Concat(Enumerable.Repeat("---:|", AttributionEvaluation.TransformNames.Length)));
        foreach (var (name, set) in variants)
        {
            if (filter.Count > 0 && !filter.Any(f => name.Contains(f, StringComparison.Ordinal))) continue;
            var options = new ProvenanceOptions();
            set(options);
            // "both splits" is for diagnosis after the test run only; thresholds are read off dev.
            var run = new AttributionEvaluation(name.StartsWith("single", StringComparison.Ordinal) ? single : corpus, options).Run(devOnly: !name.Contains("both", StringComparison.Ordinal), components: true);
            var negatives = run.Queries.Where(q => q.Transform == "never-served").ToList();
            if (name.StartsWith("dump", StringComparison.Ordinal))
            {
                using var writer = new StreamWriter(Path.Combine(Path.GetTempPath(), "comp-" + name.Replace(' ', '-') + ".jsonl"));
                foreach (var q in run.Queries)
                {
                    writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                    {
                        t = q.Transform,
                        dev = q.IsDev,
                        truth = q.TruthRequestId,
                        c = q.Components!.Select(x => new object[] { x.RequestId, Math.Round(x.Alignment, 3), Math.Round(x.Shingle, 3) }),
                    }));
                }
            }

            double[] ta = [24, 28, 30, 32, 36, 40];
            double[] ts = [12];
            foreach (var a in ta)
            {
                foreach (var t in ts)
                {
                    var fp = negatives.Count(q => Attributed(q, a, t) is not null);
                    var cells = AttributionEvaluation.TransformNames.Select(tn =>
                    {
                        var rows = run.Queries.Where(q => q.Transform == tn).ToList();
                        var ok = rows.Count(q => Attributed(q, a, t) == q.TruthRequestId);
                        return $"{100.0 * ok / Math.Max(1, rows.Count):F1}%";
                    });
                    sb.AppendLine($"| {name} | {a} | {(t > 1e8 ? "off" : t.ToString())} | {fp} / {negatives.Count} | {string.Join(" | ", cells)} |");
                }
            }

            Console.Error.WriteLine($"{name}: done");
        }

        return sb.ToString();
    }

    private static string? Attributed(QueryOutcome q, double ta, double ts)
    {
        string? best = null;
        var bestScore = 0.0;
        foreach (var (id, a, s) in q.Components!)
        {
            var combined = Math.Max((a + 1.5 * s) / ta, s / ts);
            if (combined > bestScore) { bestScore = combined; best = id; }
        }

        return bestScore >= 1 ? best : null;
    }
}
