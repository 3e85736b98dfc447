using System.Globalization;
using System.Net;
using System.Text;
using Moat.Provenance.Scan;

namespace Moat.Admin.Provenance;

/// <summary>
/// A dataset scan as one self-contained HTML page (no scripts, no external assets) to attach to a case or hand to
/// counsel: the verdict, the per-account table, the matched examples with request ids and served times, and the method
/// with its calibration, so the numbers can be checked without Moat.
/// </summary>
public static class ScanReport
{
    public static string Html(DatasetScanResult result, string? name, string scanId, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(result);
        var c = CultureInfo.InvariantCulture;
        var html = new StringBuilder(16 * 1024);
        var title = "Provenance scan" + (name is null ? "" : " — " + name);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
            .Append("body{font:14px/1.5 system-ui,sans-serif;margin:2rem;color:#1b1b1b;max-width:70rem}table{border-collapse:collapse;margin:1rem 0}")
            .Append("th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}th{background:#f3f3f3}")
            .Append(".verdict{font-size:1.2rem;font-weight:600}.attributed{color:#a40000}.inconclusive{color:#555}code{font-size:90%}")
            .Append("</style></head><body>");
        html.Append("<h1>").Append(E(title)).Append("</h1>");
        html.Append(c, $"<p>Scan <code>{E(scanId)}</code>, generated {generatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC against an index of {result.Method.IndexedOutputs:N0} served outputs.</p>");
        html.Append(c, $"<p class=\"verdict {E(result.Verdict)}\">Verdict: {E(result.Verdict)}</p>");
        html.Append(c, $"<p>{result.Passages:N0} passages received, {result.DistinctPassages:N0} distinct and non-blank (the <i>n</i> of the test), ")
            .Append(c, $"{result.AttributedPassages:N0} of them landed on at least one account.</p>");

        html.Append("<h2>Accounts</h2>");
        if (result.Accounts.Count == 0)
        {
            html.Append("<p>No passage scored at the count threshold on any account.</p>");
        }
        else
        {
            html.Append("<table><tr><th>Organisation</th><th>Passages</th><th>Expected by chance</th><th>p-value</th><th>Keys</th><th>First served</th><th>Last served</th></tr>");
            foreach (var a in result.Accounts)
            {
                html.Append(c, $"<tr><td><code>{E(a.OrgId)}</code></td><td>{a.Passages:N0}</td><td>{a.ExpectedByChance:G3}</td><td>{P(a.PValue)}</td>")
                    .Append(c, $"<td>{string.Join("<br>", a.KeyIds.Select(k => "<code>" + E(k) + "</code>"))}</td>")
                    .Append(c, $"<td>{a.FirstServedAt.UtcDateTime:yyyy-MM-dd HH:mm}</td><td>{a.LastServedAt.UtcDateTime:yyyy-MM-dd HH:mm}</td></tr>");
            }

            html.Append("</table>");
            html.Append("<h2>Matched examples</h2>");
            foreach (var a in result.Accounts.Take(10))
            {
                html.Append("<h3><code>").Append(E(a.OrgId)).Append("</code></h3>");
                html.Append("<table><tr><th>Passage #</th><th>Request id</th><th>Key</th><th>Model</th><th>Served at (UTC)</th><th>Score</th><th>False-match probability</th></tr>");
                foreach (var x in a.Examples)
                {
                    html.Append(c, $"<tr><td>{x.PassageIndex}</td><td><code>{E(x.RequestId)}</code></td><td><code>{E(x.KeyId)}</code></td><td>{E(x.Model)}</td>")
                        .Append(c, $"<td>{x.ServedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}</td><td>{x.Score:F1}</td><td>{P(x.FalseMatchProbability)}</td></tr>");
                }

                html.Append("</table>");
            }
        }

        var m = result.Method;
        html.Append("<h2>Method</h2>")
            .Append("<p>Every passage is searched against the index of served outputs (fingerprints and content-word sequences; no served text is stored). ")
            .Append(c, $"A passage <i>lands</i> on an account when its best match there scores at least <b>{m.CountThreshold:G4}</b>; each served output counts for one passage only, ")
            .Append("and exact duplicates (the same normal form) count once.</p>")
            .Append(c, $"<p>Null model: in the calibration, {m.CalibrationFalseMatches:N0} of {m.CalibrationNegatives:N0} never-served passages ")
            .Append("(answers of models held out of the index to the same questions: the hardest negatives) landed on some account. ")
            .Append(c, $"The per-passage rate <i>q</i> = <b>{m.PassageRate:G4}</b> is the one-sided 95 % Clopper–Pearson upper bound on that share, ")
            .Append("used for every account (false matches concentrate on the account that asked the question, so the account's share of the index is not used to shrink it).</p>")
            .Append("<p>An account's p-value is P(<i>X</i> ≥ <i>k</i>) for <i>X</i> ~ Binomial(<i>n</i>, <i>q</i>): the chance that at least as many of <i>n</i> never-served passages ")
            .Append("would land on that one account. \"Expected by chance\" is <i>n</i>·<i>q</i>. ")
            .Append(c, $"The verdict is <i>attributed</i> when some account's p-value is at most {m.Significance:G3}; with a thousand accounts that keeps the chance of any false ")
            .Append("attribution of a never-served dataset below one in a thousand. The test assumes the passages are independent; a dataset of near-copies of one text is ")
            .Append("guarded by counting each served output once.</p>");
        html.Append("</body></html>");
        return html.ToString();
    }

    private static string P(double p) => p < 1e-300 ? "&lt; 1e-300" : p.ToString(p < 0.001 ? "0.0e+0" : "0.####", CultureInfo.InvariantCulture);

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
