using System.CommandLine;
using System.Globalization;
using Moat.Cli.Admin;
using Moat.Cli.Simulation;
using Moat.Simulation;
using Spectre.Console;

namespace Moat.Cli.Commands;

/// <summary>`moat simulate`: the detection evaluation — a simulated customer population through the real HTTP pipeline, with a report.</summary>
internal static class SimulateCommand
{
    public static Command Create(CliOutput output)
    {
        var scenario = new Option<string>("--scenario")
        {
            Description = "A built-in scenario (quick, default, dev, held-out, held-out-quick, evasion, held-out-2, held-out-2-quick, held-out-3, held-out-3-quick, held-out-4, held-out-4-quick, held-out-5, held-out-5-quick, held-out-6, held-out-6-quick) or a scenario JSON file.",
            DefaultValueFactory = _ => "quick",
        };
        var report = new Option<FileInfo?>("--report") { Description = "Write the markdown report here." };
        var data = new Option<DirectoryInfo?>("--data") { Description = "The shared data folder (default: ../shared/data found upwards from the binary)." };
        var inProcess = new Option<bool>("--in-process") { Description = "Feed the detection engine directly instead of going through HTTP (seconds, for comparison)." };
        var noSemantic = new Option<bool>("--no-semantic") { Description = "In-process only: run detection without its semantic contrast (MiniLM embeddings), to measure what it adds." };
        var command = new Command("simulate", "Run the detection evaluation: simulated tenants through a real gateway on a virtual clock; prints recall and false positives.")
        {
            scenario, report, data, inProcess, noSemantic,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            SimulationScenario chosen;
            try
            {
                chosen = SimulationScenario.Resolve(result.GetValue(scenario)!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidDataException)
            {
                output.Fail($"cannot read scenario: {e.Message}");
                return ExitCodes.Usage;
            }
            if (SimulationData.Locate(result.GetValue(data)?.FullName) is not { } directory)
            {
                output.Fail("shared data folder not found; pass --data DIR (it holds distill/, benign/ and outputs/)");
                return ExitCodes.Usage;
            }
            var loaded = SimulationData.Load(directory, chosen.Split);
            await output.Out.WriteLineAsync($"Scenario '{chosen.Name}': {chosen.Tenants.Values.Sum():N0} tenants, data from {directory} ({chosen.Split}).").ConfigureAwait(false);

            string markdown;
            SimulationReport summary;
            if (result.GetValue(inProcess))
            {
                var run = await InProcessSimulation.RunAsync(chosen, loaded, cancellationToken: cancellationToken, semantic: !result.GetValue(noSemantic)).ConfigureAwait(false);
                summary = new SimulationReport(run);
                markdown = summary.ToMarkdown();
            }
            else
            {
                var run = await HttpSimulation.RunAsync(chosen, loaded, output.Out, cancellationToken).ConfigureAwait(false);
                summary = run.Report;
                markdown = run.ToMarkdown();
            }
            if (result.GetValue(report) is { } file)
            {
                file.Directory?.Create();
                await File.WriteAllTextAsync(file.FullName, markdown, cancellationToken).ConfigureAwait(false);
            }
            Print(output.Console, summary);
            if (result.GetValue(report) is { } written)
            {
                await output.Out.WriteLineAsync($"Report written to {written.FullName}").ConfigureAwait(false);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(IAnsiConsole console, SimulationReport report)
    {
        var result = report.Result;
        var c = CultureInfo.InvariantCulture;
        var distillers = report.Recall(report.DistillerKinds, result.WarnAt);
        var harvesters = report.Recall(report.HarvesterKinds, result.WarnAt);
        var fpr = report.FalsePositiveRate(result.WarnAt);
        var evasion = report.EvasionLoss();
        var table = Styles.Table("target", "measured", "met");
        table.Row("distiller recall ≥ 99% within 2,000 requests", distillers.ToString("P1", c), Mark(distillers >= 0.99));
        table.Row("benchmark-harvester recall ≥ 99% within 500 requests", harvesters.ToString("P1", c), Mark(harvesters >= 0.99));
        table.Row($"benign false positives ≤ 0.1% (of {report.BenignCount:N0})", $"{fpr.ToString("P2", c)} ({report.FalsePositives(result.WarnAt).Count})", Mark(fpr <= 0.001));
        table.Row("evasion variants lose ≤ 5 points", string.Create(c, $"{evasion * 100:F1} points"), Mark(evasion <= 0.05));
        console.Write(table);
        console.WriteLine(string.Create(c, $"{result.Outcomes.Count:N0} tenants, {result.TotalRequests:N0} requests, {result.WallClock.TotalSeconds:F1} s."));
    }

    private static string Mark(bool met) => met ? "yes" : "NO";
}
