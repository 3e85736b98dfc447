using System.Globalization;
using Moat.Simulation;
using Xunit.Abstractions;

namespace Moat.Detection.Tests;

/// <summary>
/// The held-out population (tenants written blind to the detector, from public descriptions of distillation and benchmark
/// harvesting) against the targets. Runs <c>held-out-quick</c> in-process and prints the per-kind and ROC tables.
/// </summary>
[Trait("Category", "HeldOut")]
public sealed class HeldOutSimulationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Held_out_quick_population_meets_the_detection_targets()
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

        var failures = new List<string>();
        var recall = report.Recall(SimulationScenario.HeldOutAbusive, result.WarnAt);
        output.WriteLine(string.Create(c, $"recall at warn ({result.WarnAt}) within budget, all abusive kinds: {recall:P1}; at case ({result.CaseAt}): {report.Recall(SimulationScenario.HeldOutAbusive, result.CaseAt):P1}"));
        if (recall < 0.99)
        {
            failures.Add(string.Create(c, $"recall {recall:P1} < 99%"));
        }
        var fpr = report.FalsePositiveRate(result.WarnAt);
        var flagged = report.FalsePositives(result.WarnAt);
        var worst = string.Join(", ", flagged.OrderByDescending(o => o.PeakScore).Take(15).Select(o => string.Create(c, $"{o.Tenant.Id} ({o.PeakScore:F0})")));
        output.WriteLine(string.Create(c, $"benign FPR at warn ({result.WarnAt}): {fpr:P2} ({flagged.Count} of {report.BenignCount}): {worst}"));
        if (fpr > 0.001)
        {
            failures.Add(string.Create(c, $"benign FPR {fpr:P2} > 0.1% ({flagged.Count} tenants)"));
        }
        var direct = report.Recall(SimulationScenario.HeldOutDirect, result.WarnAt);
        output.WriteLine(string.Create(c, $"direct harvesters (cue-free distiller + reasoning-trace extractor) recall: {direct:P1}"));
        foreach (var kind in SimulationScenario.HeldOutEvasion)
        {
            var evasion = report.Recall([kind], result.WarnAt);
            output.WriteLine(string.Create(c, $"evasion {kind}: recall {evasion:P1} ({(direct - evasion) * 100:F1} points below direct)"));
            if (direct - evasion > 0.05)
            {
                failures.Add(string.Create(c, $"{kind} recall {evasion:P1} is {(direct - evasion) * 100:F1} points below the direct harvesters' {direct:P1}"));
            }
        }
        Assert.True(failures.Count == 0, "Held-out targets missed:\n" + string.Join('\n', failures));
    }
}
