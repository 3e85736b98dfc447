using System.Text;
using Moat.Provenance;

namespace Moat.Provenance.Eval;

/// <summary>
/// Measures the verification ideas one at a time on the dev split only (400 sampled targets per transform, all dev
/// never-served answers). Each variant gets two thresholds from the dev never-served answers: their 99th percentile
/// (≈1% false attribution) and just above their maximum (zero observed).
/// </summary>
public static class Ablation
{
    public static string Run(string dataDirectory, IEnumerable<string> only)
    {
        var filter = only.ToList();
        var withPrompts = new AlpacaCorpus(dataDirectory);
        var withoutPrompts = new AlpacaCorpus(dataDirectory, withPrompts: false);
        var variants = new (string Name, IServedCorpus Corpus, Action<ProvenanceOptions> Set)[]
        {
            ("align, no prompt, gap 0.5, jump 4", withoutPrompts, o => { }),
            ("align + prompt, gap 0.5, jump 4", withPrompts, o => { }),
            ("align + prompt, gap 0.3", withPrompts, o => o.GapPenalty = 0.3),
            ("align + prompt, gap 0.75", withPrompts, o => o.GapPenalty = 0.75),
            ("align + prompt, gap 1.0", withPrompts, o => o.GapPenalty = 1.0),
            ("align + prompt, jump 2", withPrompts, o => o.JumpPenalty = 2),
            ("align + prompt, jump 8", withPrompts, o => o.JumpPenalty = 8),
            ("align + prompt, no jump", withPrompts, o => o.JumpPenalty = 1e6),
            ("rival 0.5, gap 0.75, jump 8", withPrompts, o => { o.CompetitorDiscount = 0.5; o.GapPenalty = 0.75; o.JumpPenalty = 8; }),
            ("rival 1.0, gap 0.75, jump 8", withPrompts, o => { o.CompetitorDiscount = 1.0; o.GapPenalty = 0.75; o.JumpPenalty = 8; }),
            ("rival 1.0, gap 1.0, jump 8", withPrompts, o => { o.CompetitorDiscount = 1.0; o.GapPenalty = 1.0; o.JumpPenalty = 8; }),
        };

        var sb = new StringBuilder();
        sb.AppendLine("| variant | words/output | neg max / p99 | dev FP | threshold | " + string.Join(" | ", AttributionEvaluation.TransformNames) + " |");
        sb.AppendLine("|---|---:|---|---:|---:|" + string.Concat(Enumerable.Repeat("---:|", AttributionEvaluation.TransformNames.Length)));
        foreach (var (name, corpus, set) in variants)
        {
            if (filter.Count > 0 && !filter.Any(f => name.Contains(f, StringComparison.Ordinal))) continue;
            var options = new ProvenanceOptions();
            set(options);
            var run = new AttributionEvaluation(corpus, options).Run(devOnly: true, maxTargetsPerSplit: 400);
            var negatives = run.Queries.Where(q => q.TruthRequestId is null).Select(q => q.TopScore).Order().ToList();
            foreach (var (label, threshold) in new[] { ("1%", Statistics.Quantile(negatives, 0.99)), ("0", negatives[^1] * 1.01 + 0.01) })
            {
                var cells = AttributionEvaluation.TransformNames.Select(tn =>
                {
                    var rows = run.Queries.Where(q => q.Transform == tn).ToList();
                    var ok = rows.Count(q => q.TopScore >= threshold && q.TopRequestId == q.TruthRequestId);
                    return $"{100.0 * ok / Math.Max(1, rows.Count):F1}%";
                });
                sb.AppendLine($"| {name} | {run.FingerprintsPerOutput:F0} | {negatives[^1]:F1} / {Statistics.Quantile(negatives, 0.99):F1} | {label} | {threshold:F1} | {string.Join(" | ", cells)} |");
            }

            Console.Error.WriteLine(sb.ToString().Split('\n')[^3]);
        }

        return sb.ToString();
    }
}
