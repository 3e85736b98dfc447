using System.Globalization;
using Moat.Simulation;
using Xunit.Abstractions;

namespace Moat.Detection.Tests;

/// <summary>
/// The held-out population (tenants written blind to the detector, from public descriptions of distillation and benchmark
/// harvesting). Runs <c>held-out-quick</c> in-process, prints the per-kind and ROC tables and how far each of the
/// issue's targets is from being met, and fails if detection falls below the level recorded in docs/detection.md
/// ("Held-out results") — a ratchet, not the target: the targets are not met yet (slow-and-low, CoT mixed into
/// conversation and the blind benchmark harvester are missed; three translation vendors are flagged).
/// </summary>
[Trait("Category", "HeldOut")]
public sealed class HeldOutSimulationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Held_out_quick_population_stays_at_its_recorded_level_and_reports_the_targets()
    {
        var directory = SimulationData.Locate() ?? throw new InvalidOperationException("shared data folder (../shared/data) not found");
        var data = SimulationData.Load(directory, DataSplit.HeldOut);
        var scenario = SimulationScenario.HeldOutQuick();
        var result = await InProcessSimulation.RunAsync(scenario, data);
        var report = new SimulationReport(result);
        var c = CultureInfo.InvariantCulture;

        output.WriteLine(string.Create(c, $"Scenario {scenario.Name}: {result.Outcomes.Count} tenants, {result.TotalRequests:N0} requests, {result.WallClock.TotalSeconds:F1} s."));
        output.WriteLine(report.PerKindMarkdown());
        output.WriteLine(report.RocMarkdown());

        // The targets (recall ≥ 99%, benign FPR ≤ 0.1%, evasion ≤ 5 points) are printed; the floors below are the level
        // recorded in docs/detection.md, so a change that makes held-out detection worse fails here.
        const double RecordedRecall = 0.53;
        const double RecordedFalsePositiveRate = 0.0134;
        var failures = new List<string>();
        var targets = new List<string>();
        var recall = report.Recall(SimulationScenario.HeldOutAbusive, result.WarnAt);
        output.WriteLine(string.Create(c, $"recall at warn ({result.WarnAt}) within budget, all abusive kinds: {recall:P1}; at case ({result.CaseAt}): {report.Recall(SimulationScenario.HeldOutAbusive, result.CaseAt):P1}"));
        if (recall < 0.99)
        {
            targets.Add(string.Create(c, $"recall {recall:P1} < 99%"));
        }
        if (recall < RecordedRecall)
        {
            failures.Add(string.Create(c, $"recall {recall:P1} fell below the recorded {RecordedRecall:P1}"));
        }
        var fpr = report.FalsePositiveRate(result.WarnAt);
        var flagged = report.FalsePositives(result.WarnAt);
        var worst = string.Join(", ", flagged.OrderByDescending(o => o.PeakScore).Take(15).Select(o => string.Create(c, $"{o.Tenant.Id} ({o.PeakScore:F0})")));
        output.WriteLine(string.Create(c, $"benign FPR at warn ({result.WarnAt}): {fpr:P2} ({flagged.Count} of {report.BenignCount}): {worst}"));
        if (fpr > 0.001)
        {
            targets.Add(string.Create(c, $"benign FPR {fpr:P2} > 0.1% ({flagged.Count} tenants)"));
        }
        if (fpr > RecordedFalsePositiveRate)
        {
            failures.Add(string.Create(c, $"benign FPR {fpr:P2} rose above the recorded {RecordedFalsePositiveRate:P2}"));
        }
        var direct = report.Recall(SimulationScenario.HeldOutDirect, result.WarnAt);
        output.WriteLine(string.Create(c, $"direct harvesters (cue-free distiller + reasoning-trace extractor) recall: {direct:P1}"));
        foreach (var kind in SimulationScenario.HeldOutEvasion)
        {
            var evasion = report.Recall([kind], result.WarnAt);
            output.WriteLine(string.Create(c, $"evasion {kind}: recall {evasion:P1} ({(direct - evasion) * 100:F1} points below direct)"));
            if (direct - evasion > 0.05)
            {
                targets.Add(string.Create(c, $"{kind} recall {evasion:P1} is {(direct - evasion) * 100:F1} points below the direct harvesters' {direct:P1}"));
            }
        }
        output.WriteLine(targets.Count == 0 ? "All held-out targets met." : "Held-out targets not met:\n" + string.Join('\n', targets));
        Assert.True(failures.Count == 0, "Held-out detection regressed:\n" + string.Join('\n', failures));
    }
}
