using Moat.Simulation;
using Xunit.Abstractions;

namespace Moat.Detection.Tests;

/// <summary>The detection evaluation as a CI gate (reduced population, held-out data) and the generator of docs/simulation-report.md.</summary>
public sealed class SimulationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ReducedSimulation_MeetsTargets()
    {
        var dataDir = SimulationData.Locate() ?? throw new InvalidOperationException("../shared/data not found; set up the shared data folder.");
        var data = SimulationData.Load(dataDir, DataSplit.HeldOut);
        var result = await InProcessSimulation.RunAsync(SimulationScenario.Quick(), data);
        var report = new SimulationReport(result);
        output.WriteLine(report.ToMarkdown());

        Assert.True(report.BenignCount >= 1000, $"only {report.BenignCount} benign tenants");
        // Flagged = warned (a human is told); the same line counts a benign tenant as a false positive.
        Assert.True(report.Recall(SimulationReport.DirectDistillers, result.WarnAt) >= 0.99, "distiller recall below 99% within 2,000 requests");
        // The held-out split leaves 49 HumanEval items (none in the index): a harvester cycling them is, by coverage, the
        // size of a spot check, and its re-samples look like a tutoring product's students re-asking a problem bank. It
        // is reported, not gated; GSM8K harvesters (2,200 held-out items) are gated. docs/detection.md, "Known gaps".
        Assert.True(report.Recall(["gsm8k-harvester"], result.WarnAt) >= 0.99, "benchmark harvester recall below 99% within 500 requests");
        Assert.True(report.FalsePositiveRate(result.WarnAt) <= 0.001, $"benign FPR {report.FalsePositiveRate(result.WarnAt):P2} above 0.1%");
        var baseline = report.Recall(SimulationReport.DirectDistillers, result.WarnAt);
        foreach (var variant in SimulationReport.EvasionVariants)
        {
            Assert.True(baseline - report.Recall([variant], result.WarnAt) <= 0.05, $"{variant} loses more than 5 points of recall");
        }
    }

    /// <summary>Writes the full report: <c>MOAT_SIMULATION_REPORT=docs/simulation-report.md dotnet test --filter FullSimulation_WritesReport</c>.</summary>
    [Fact]
    public async Task FullSimulation_WritesReport()
    {
        var target = Environment.GetEnvironmentVariable("MOAT_SIMULATION_REPORT");
        if (string.IsNullOrEmpty(target))
        {
            return;
        }
        var scenario = SimulationScenario.Resolve(Environment.GetEnvironmentVariable("MOAT_SIMULATION_SCENARIO") ?? "default");
        if (Enum.TryParse<DataSplit>(Environment.GetEnvironmentVariable("MOAT_SIMULATION_SPLIT"), out var split))
        {
            scenario.Split = split;
        }
        var data = SimulationData.Load(SimulationData.Locate()!, scenario.Split);
        var result = await InProcessSimulation.RunAsync(scenario, data);
        var latency = await PostLatencyProbe.MeasureAsync();
        var markdown = new SimulationReport(result, latency).ToMarkdown();
        await File.WriteAllTextAsync(target, markdown);
        output.WriteLine(markdown);
    }
}
