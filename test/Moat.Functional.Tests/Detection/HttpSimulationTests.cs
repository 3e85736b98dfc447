using Moat.Cli;
using Moat.Cli.Simulation;
using Moat.Simulation;

namespace Moat.Functional.Tests.Detection;

/// <summary>The detection evaluation through the real HTTP pipeline (`moat simulate`), on a reduced population.</summary>
public sealed class HttpSimulationTests
{
    /// <summary>A reduced held-out population: every tenant kind, hard negatives included, half a simulated day.</summary>
    private static SimulationScenario Reduced() => new()
    {
        Name = "functional",
        DurationHours = 12,
        ReleaseAfterHours = 4,
        // Flagging is what is asserted: an abusive tenant past the case line has nothing more to show (each of its
        // requests costs a risk read over HTTP), so it stops there rather than at the default 96.
        StopAbusiveAtScore = 72,
        Tenants = new(StringComparer.Ordinal)
        {
            ["chat-user"] = 300, ["step-by-step-user"] = 60, ["support-bot"] = 3, ["batch-translator"] = 3, ["coding-assistant"] = 6,
            ["eval-team-allow-listed"] = 3, ["eval-team-small"] = 8,
            ["self-instruct-generator"] = 6, ["paraphrasing-distiller"] = 5, ["cot-harvester"] = 6, ["gsm8k-harvester"] = 8,
            ["humaneval-harvester"] = 8, ["hydra"] = 2, ["slow-and-low"] = 5,
        },
    };

    private static string DataDirectory() =>
        SimulationData.Locate(Environment.GetEnvironmentVariable("MOAT_SHARED_DATA"))
        ?? throw new InvalidOperationException("../shared/data not found; set up the shared data folder or MOAT_SHARED_DATA.");

    [Fact]
    public async Task Simulate_ReducedPopulationOverHttp_MeetsRecallAndFalsePositiveTargets()
    {
        var scenario = Reduced();
        var data = SimulationData.Load(DataDirectory(), scenario.Split);

        var run = await HttpSimulation.RunAsync(scenario, data);

        var report = run.Report;
        var result = report.Result;
        // Flagged = warned; the same line counts a benign tenant as a false positive.
        Assert.True(report.Recall(SimulationReport.DirectDistillers, result.WarnAt) >= 0.99, run.ToMarkdown());
        // HumanEval's held-out split is 49 items (none indexed): a spot check's size by coverage, reported not gated
        // (docs/detection.md, "What fails, and why"); the GSM8K harvesters are gated.
        Assert.True(report.Recall(["gsm8k-harvester"], result.WarnAt) >= 0.99, run.ToMarkdown());
        Assert.True(report.FalsePositiveRate(result.WarnAt) <= 0.001, run.ToMarkdown());
        Assert.All(result.Outcomes.Where(o => SimulationReport.DirectDistillers.Contains(o.Kind)), o => Assert.True(o.RequestsToFirstFlag <= 2000));
        Assert.All(result.Outcomes.Where(o => o.Kind == "gsm8k-harvester"), o => Assert.True(o.RequestsToFirstFlag <= 500));
        Assert.Equal(0, run.SettleTimeouts);
        Assert.True(run.Statuses.GetValueOrDefault(200) > result.TotalRequests / 2, "most requests must be served by the real pipeline");
    }

    [Fact]
    public async Task SimulateCommand_ScenarioFile_WritesReportAndPrintsTargets()
    {
        var folder = Directory.CreateTempSubdirectory("moat-simulate-test");
        try
        {
            var scenarioFile = Path.Combine(folder.FullName, "tiny.json");
            await File.WriteAllTextAsync(scenarioFile, """
                {"name":"tiny","durationHours":6,"releaseAfterHours":2,"tenants":{"chat-user":10,"support-bot":1,"gsm8k-harvester":2,"self-instruct-generator":1}}
                """);
            var reportFile = Path.Combine(folder.FullName, "report.md");
            var stdout = new StringWriter();
            var stderr = new StringWriter();

            var exit = await MoatCli.InvokeAsync(
                ["simulate", "--scenario", scenarioFile, "--report", reportFile, "--data", DataDirectory()], CliOutput.Plain(stdout, stderr));

            Assert.Equal(ExitCodes.Success, exit);
            Assert.Contains("benchmark-harvester recall", stdout.ToString());
            var markdown = await File.ReadAllTextAsync(reportFile);
            Assert.Contains("scenario `tiny`", markdown);
            Assert.Contains("HTTP through the real gateway", markdown);
            Assert.Contains("## HTTP run", markdown);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
