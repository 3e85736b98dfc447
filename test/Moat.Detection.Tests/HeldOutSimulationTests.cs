using System.Globalization;
using Moat.Simulation;
using Xunit.Abstractions;

namespace Moat.Detection.Tests;

/// <summary>
/// The six held-out populations (tenants written blind to the detector, from public descriptions of distillation and
/// benchmark harvesting, by six separate sessions). Runs each quick scenario in-process, prints the per-kind and ROC
/// tables and how far each of the issue's targets is from being met, and fails if detection falls below the level
/// recorded in docs/detection.md ("Dev and held-out results") — a ratchet, not the target: the targets are not met yet
/// (harvests blended into chat at 10–25%, hydra clusters without shared network or templates, and slow benchmark
/// sweeps are missed; some declared research labs are flagged).
/// </summary>
[Trait("Category", "HeldOut")]
public sealed class HeldOutSimulationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("held-out-quick", 0.74, 0.009)]
    [InlineData("held-out-2-quick", 0.72, 0.005)]
    [InlineData("held-out-3-quick", 0.45, 0.005)]
    [InlineData("held-out-4-quick", 0.58, 0.005)]
    [InlineData("held-out-5-quick", 0.58, 0.018)]
    [InlineData("held-out-6-quick", 0.75, 0.023)]
    public async Task Held_out_quick_population_stays_at_its_recorded_level_and_reports_the_targets(string name, double recordedRecall, double recordedFalsePositiveRate)
    {
        var directory = SimulationData.Locate() ?? throw new InvalidOperationException("shared data folder (../shared/data) not found");
        var data = SimulationData.Load(directory, DataSplit.HeldOut);
        var scenario = SimulationScenario.Resolve(name);
        var result = await InProcessSimulation.RunAsync(scenario, data);
        var report = new SimulationReport(result);
        var population = report.Population ?? throw new InvalidOperationException($"{name} is not a held-out population");
        var c = CultureInfo.InvariantCulture;

        output.WriteLine(string.Create(c, $"Scenario {scenario.Name}: {result.Outcomes.Count} tenants, {result.TotalRequests:N0} requests, {result.WallClock.TotalSeconds:F1} s."));
        output.WriteLine(report.PerKindMarkdown());
        output.WriteLine(report.RocMarkdown());

        // The targets (recall ≥ 99%, benign FPR ≤ 0.1%, evasion ≤ 5 points) are printed; the floors below are the level
        // recorded in docs/detection.md, so a change that makes held-out detection worse fails here.
        var failures = new List<string>();
        var targets = new List<string>();
        var recall = report.Recall(population.Abusive, result.WarnAt);
        output.WriteLine(string.Create(c, $"recall at warn ({result.WarnAt}) within budget, all abusive kinds: {recall:P1}; at case ({result.CaseAt}): {report.Recall(population.Abusive, result.CaseAt):P1}"));
        if (recall < 0.99)
        {
            targets.Add(string.Create(c, $"recall {recall:P1} < 99%"));
        }
        if (recall < recordedRecall)
        {
            failures.Add(string.Create(c, $"recall {recall:P1} fell below the recorded {recordedRecall:P1}"));
        }
        var fpr = report.FalsePositiveRate(result.WarnAt);
        var flagged = report.FalsePositives(result.WarnAt);
        var worst = string.Join(", ", flagged.OrderByDescending(o => o.PeakScore).Take(15).Select(o => string.Create(c, $"{o.Tenant.Id} ({o.PeakScore:F0})")));
        output.WriteLine(string.Create(c, $"benign FPR at warn ({result.WarnAt}): {fpr:P2} ({flagged.Count} of {report.BenignCount}): {worst}"));
        if (fpr > 0.001)
        {
            targets.Add(string.Create(c, $"benign FPR {fpr:P2} > 0.1% ({flagged.Count} tenants)"));
        }
        if (fpr > recordedFalsePositiveRate)
        {
            failures.Add(string.Create(c, $"benign FPR {fpr:P2} rose above the recorded {recordedFalsePositiveRate:P2}"));
        }
        var direct = report.Recall(population.Direct, result.WarnAt);
        output.WriteLine(string.Create(c, $"direct harvesters ({string.Join(", ", population.Direct)}) recall: {direct:P1}"));
        foreach (var kind in population.Evasion)
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
