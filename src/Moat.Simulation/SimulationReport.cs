using System.Globalization;
using System.Text;

namespace Moat.Simulation;

/// <summary>One tenant kind's outcome: flagged at warn, caught at case, requests until the first flag, peak scores.</summary>
public sealed record KindSummary(
    string Kind, bool IsAbusive, int Tenants, int FlaggedAtWarn, int CaughtAtCase,
    int? MedianRequestsToFlag, int? MaxRequestsToFlag, double MedianPeakScore, double MaxPeakScore);

/// <summary>One threshold of the ROC table: recall over all abusive tenants (within budget), FPR over all benign tenants.</summary>
public sealed record RocPoint(int Threshold, double Recall, int AbusiveCaught, int AbusiveTenants, double FalsePositiveRate, int BenignFlagged, int BenignTenants);

/// <summary>Recall, false-positive rate and time-to-flag of a run, and the markdown report.</summary>
public sealed class SimulationReport(SimulationResult result, PostLatencyProbe.Measurement? latency = null, string transport = "in-process transport")
{
    public static readonly string[] DirectDistillers = ["self-instruct-generator", "cot-harvester", "plain-distiller"];
    public static readonly string[] BenchmarkHarvesters = ["gsm8k-harvester", "humaneval-harvester"];
    public static readonly string[] EvasionVariants = ["hydra", "slow-and-low", "paraphrasing-distiller"];

    public SimulationResult Result => result;

    /// <summary>True when the run holds a held-out population and none of another population's abusive kinds.</summary>
    public bool IsHeldOut => Population is not null;

    /// <summary>The held-out population of the run, or null for the dev kinds.</summary>
    public HeldOutPopulation? Population => SimulationScenario.HeldOutPopulations.FirstOrDefault(p =>
        result.Outcomes.Any(o => o.Kind.StartsWith(p.Prefix, StringComparison.Ordinal)) &&
        !result.Outcomes.Any(o => o.IsAbusive && !o.Kind.StartsWith(p.Prefix, StringComparison.Ordinal)));

    /// <summary>The kinds the distiller-recall target is measured on (held-out: every abusive kind but the benchmark harvesters).</summary>
    public IReadOnlyList<string> DistillerKinds => Population?.Distillers ?? DirectDistillers;

    /// <summary>The direct (non-evasive) harvesters the evasion variants are compared with.</summary>
    public IReadOnlyList<string> DirectKinds => Population?.Direct ?? DirectDistillers;

    public IReadOnlyList<string> HarvesterKinds => Population?.Harvesters ?? BenchmarkHarvesters;

    public IReadOnlyList<string> EvasionKinds => Population?.Evasion ?? EvasionVariants;

    /// <summary>Worst recall loss, in points of recall, of an evasion kind present in the run against the direct harvesters.</summary>
    public double EvasionLoss()
    {
        var direct = Recall(DirectKinds, result.WarnAt);
        var present = EvasionKinds.Where(k => result.Outcomes.Any(o => o.Kind == k)).ToList();
        return present.Count == 0 ? double.NaN : present.Max(k => direct - Recall([k], result.WarnAt));
    }

    private IEnumerable<TenantOutcome> Benign => result.Outcomes.Where(o => !o.IsAbusive);

    private IEnumerable<TenantOutcome> OfKinds(IEnumerable<string> kinds) => result.Outcomes.Where(o => kinds.Contains(o.Kind));

    /// <summary>Share of the given abusive tenants whose every org reached <paramref name="threshold"/> within the budget.</summary>
    public double Recall(IEnumerable<string> kinds, double threshold) => Rate(OfKinds(kinds), threshold);

    public double Recall(double threshold) => Rate(result.Outcomes.Where(o => o.IsAbusive), threshold);

    /// <summary>Share of benign tenants with any org at or above <paramref name="threshold"/> at any time.</summary>
    public double FalsePositiveRate(double threshold) => Rate(Benign, threshold);

    public int BenignCount => Benign.Count();

    public IReadOnlyList<TenantOutcome> FalsePositives(double threshold) => Benign.Where(o => o.PeakScore >= threshold).ToList();

    /// <summary>
    /// Per tenant kind (benign first, then abusive, by name): tenants flagged at warn and caught at case, requests until the first flag
    /// (abusive tenants only; benign ones are not tracked per request) and the median and max peak score.
    /// </summary>
    public IReadOnlyList<KindSummary> PerKind() =>
        result.Outcomes.GroupBy(o => o.Kind)
            .OrderBy(g => g.First().IsAbusive).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var list = g.ToList();
                var toFlag = list.Where(o => o.RequestsToFirstFlag.HasValue).Select(o => o.RequestsToFirstFlag!.Value).Order().ToList();
                var peaks = list.Select(o => o.PeakScore).Order().ToList();
                return new KindSummary(g.Key, list[0].IsAbusive, list.Count,
                    list.Count(o => o.PeakScore >= result.WarnAt), list.Count(o => o.PeakScore >= result.CaseAt),
                    toFlag.Count == 0 ? null : toFlag[toFlag.Count / 2], toFlag.Count == 0 ? null : toFlag[^1],
                    peaks[peaks.Count / 2], peaks[^1]);
            })
            .ToList();

    /// <summary>Recall over all abusive tenants (peak within budget) and FPR over all benign tenants for thresholds 10, 15, …, 95.</summary>
    public IReadOnlyList<RocPoint> Roc()
    {
        var abusive = result.Outcomes.Where(o => o.IsAbusive).ToList();
        var benign = Benign.ToList();
        var points = new List<RocPoint>();
        for (var t = 10; t <= 95; t += 5)
        {
            var caught = abusive.Count(o => o.PeakScore >= t);
            var flagged = benign.Count(o => o.PeakScore >= t);
            points.Add(new RocPoint(t, abusive.Count == 0 ? double.NaN : caught / (double)abusive.Count, caught, abusive.Count,
                benign.Count == 0 ? double.NaN : flagged / (double)benign.Count, flagged, benign.Count));
        }
        return points;
    }

    /// <summary>The per-kind table as markdown.</summary>
    public string PerKindMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(c, $"| kind | abusive | tenants | flagged ≥ warn ({result.WarnAt}) | caught ≥ case ({result.CaseAt}) | requests to flag (median / max) | peak score (median / max) |");
        md.AppendLine("|---|:-:|---:|---:|---:|---|---|");
        foreach (var k in PerKind())
        {
            var toFlag = k.MedianRequestsToFlag is { } median ? string.Create(c, $"{median} / {k.MaxRequestsToFlag}") : "—";
            md.AppendLine(c, $"| {k.Kind} | {(k.IsAbusive ? "yes" : "no")} | {k.Tenants} | {k.FlaggedAtWarn} ({k.FlaggedAtWarn / (double)k.Tenants:P0}) | " +
                $"{k.CaughtAtCase} ({k.CaughtAtCase / (double)k.Tenants:P0}) | {toFlag} | {k.MedianPeakScore:F0} / {k.MaxPeakScore:F0} |");
        }
        return md.ToString();
    }

    /// <summary>The ROC table as markdown.</summary>
    public string RocMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("| threshold | recall (all abusive, within budget) | caught | benign FPR | benign flagged |");
        md.AppendLine("|---:|---:|---:|---:|---:|");
        foreach (var p in Roc())
        {
            md.AppendLine(c, $"| {p.Threshold} | {p.Recall:P1} | {p.AbusiveCaught} / {p.AbusiveTenants} | {p.FalsePositiveRate:P2} | {p.BenignFlagged} / {p.BenignTenants} |");
        }
        return md.ToString();
    }

    private static double Rate(IEnumerable<TenantOutcome> outcomes, double threshold)
    {
        var list = outcomes.ToList();
        return list.Count == 0 ? double.NaN : list.Count(o => o.PeakScore >= threshold) / (double)list.Count;
    }

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var s = result.Scenario;
        var md = new StringBuilder();
        md.AppendLine(c, $"# Detection simulation report — scenario `{s.Name}`");
        md.AppendLine();
        md.AppendLine(c, $"Data split: **{s.Split}** (tenants draw only from the held-out ~30% of each data file; the benchmark index holds only the tuning part, so benchmark harvesters are caught by structure, not lookup). " +
            $"Seed {s.Seed}; simulated day {s.DurationHours} h, new model released after {s.ReleaseAfterHours} h; {result.Outcomes.Count:N0} tenants, {result.TotalRequests:N0} requests, {result.WallClock.TotalSeconds:F1} s wall clock ({transport}, virtual time).");
        md.AppendLine();
        md.AppendLine(c, $"Flagged = score ≥ warn ({result.WarnAt}) for benign tenants (false positive), caught = score ≥ warn within the budget for abusive tenants (the recall targets; the case line, {result.CaseAt}, is shown per kind); a multi-org tenant counts only when **all** its orgs are caught.");
        md.AppendLine();
        md.AppendLine("## Targets");
        md.AppendLine();
        md.AppendLine("| target | measured | met |");
        md.AppendLine("|---|---:|:-:|");
        var distill = Recall(DistillerKinds, result.WarnAt);
        var bench = Recall(HarvesterKinds, result.WarnAt);
        var fpr = FalsePositiveRate(result.WarnAt);
        var evasionLoss = EvasionLoss();
        md.AppendLine(c, $"| distiller recall ≥ 99% within 2,000 requests | {distill:P1} | {Mark(distill >= 0.99)} |");
        md.AppendLine(c, $"| benchmark-harvester recall ≥ 99% within 500 requests | {bench:P1} | {Mark(bench >= 0.99)} |");
        md.AppendLine(c, $"| benign false positives ≤ 0.1% (of {BenignCount:N0} benign tenants) | {fpr:P2} ({FalsePositives(result.WarnAt).Count}) | {Mark(fpr <= 0.001)} |");
        md.AppendLine(c, $"| evasion variants lose ≤ 5 points of recall | worst {evasionLoss * 100:F1} points | {Mark(evasionLoss <= 0.05)} |");
        if (latency is not null)
        {
            md.AppendLine(c, $"| detection adds nothing measurable to request latency | `Post` {latency.PostNanoseconds:F0} ns/call | {Mark(latency.PostNanoseconds < 1000)} |");
        }
        md.AppendLine();
        md.AppendLine("## Per tenant kind");
        md.AppendLine();
        md.AppendLine("| kind | abusive | tenants | requests (median) | ≥ warn | ≥ case | requests to first flag (median / p95 / max) | requests to case (median / p95 / max) |");
        md.AppendLine("|---|:-:|---:|---:|---:|---:|---|---|");
        foreach (var group in result.Outcomes.GroupBy(o => o.Kind).OrderBy(g => g.First().IsAbusive).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var list = group.ToList();
            var warn = list.Count(o => o.PeakScore >= result.WarnAt) / (double)list.Count;
            var caseRate = list.Count(o => o.PeakScore >= result.CaseAt) / (double)list.Count;
            md.AppendLine(c, $"| {group.Key} | {(list[0].IsAbusive ? "yes" : "no")} | {list.Count} | {Median(list.Select(o => (double)o.Requests)):F0} | {warn:P1} | {caseRate:P1} | " +
                $"{Spread(list.Select(o => o.RequestsToFirstFlag))} | {Spread(list.Select(o => o.RequestsToCase))} |");
        }
        md.AppendLine();
        md.AppendLine("Requests to flag are counted over all of a tenant's keys and orgs (for benign tenants they are not tracked). Abusive tenants stop at their budget (2,000 for distillers, 500 for benchmark harvesters) or once every org scores ≥ " + s.StopAbusiveAtScore.ToString(c) + ".");
        md.AppendLine();
        md.AppendLine("## ROC over thresholds");
        md.AppendLine();
        md.AppendLine("| threshold | recall (all abusive) | distillers | benchmark harvesters | evasion variants | benign FPR | benign flagged |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        for (var t = 30; t <= 95; t += 5)
        {
            md.AppendLine(c, $"| {t} | {Recall(t):P1} | {Recall(DistillerKinds, t):P1} | {Recall(HarvesterKinds, t):P1} | {Recall(EvasionKinds, t):P1} | {FalsePositiveRate(t):P2} | {FalsePositives(t).Count} |");
        }
        md.AppendLine();
        var fps = FalsePositives(30).OrderByDescending(o => o.PeakScore).Take(10).ToList();
        if (fps.Count > 0)
        {
            md.AppendLine("Highest-scoring benign tenants: " + string.Join(", ", fps.Select(o => string.Create(c, $"{o.Tenant.Id} ({o.PeakScore:F0})"))) + ".");
            md.AppendLine();
        }
        var missed = result.Outcomes.Where(o => o.IsAbusive && o.PeakScore < result.CaseAt).Take(10).ToList();
        if (missed.Count > 0)
        {
            md.AppendLine("Abusive tenants not caught at the case threshold: " + string.Join(", ", missed.Select(o => string.Create(c, $"{o.Tenant.Id} (peak {o.PeakScore:F0} after {o.Requests} requests)"))) + ".");
            md.AppendLine();
        }
        md.AppendLine("## Per kind: flags and peak scores");
        md.AppendLine();
        md.Append(PerKindMarkdown());
        md.AppendLine();
        md.AppendLine("## ROC over thresholds 10–95 (all abusive vs all benign tenants)");
        md.AppendLine();
        md.Append(RocMarkdown());
        md.AppendLine();
        if (latency is not null)
        {
            md.AppendLine("## Latency");
            md.AppendLine();
            md.AppendLine(c, $"`DetectionEngine.Post` (the only call on the request path): **{latency.PostNanoseconds:F0} ns per call** while the background loop drains concurrently ({latency.Posted:N0} posts, {latency.Dropped:N0} dropped by the bounded channel's drop-oldest policy under this deliberate flood). " +
                $"Background cost of `Process` (sketch updates and scoring, off the request path): {latency.ProcessMicroseconds:F1} µs per request.");
            md.AppendLine();
        }
        return md.ToString();
    }

    private static string Mark(bool met) => met ? "✅" : "❌";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    private static string Spread(IEnumerable<int?> values)
    {
        var sorted = values.Where(v => v.HasValue).Select(v => v!.Value).Order().ToList();
        if (sorted.Count == 0)
        {
            return "—";
        }
        var p95 = sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * 0.95) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"{sorted[sorted.Count / 2]} / {p95} / {sorted[^1]}");
    }
}
