using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Moat.Provenance.Eval;

/// <summary>
/// <c>--through-gateway</c>: the same evaluation as the default run, but the served outputs are what a real Moat host
/// returned from replaying upstreams, and the index searched is the one the host's ingestor filled.
/// </summary>
public static class GatewayEvaluation
{
    public static async Task<string> RunAsync(string data, int limitPerGenerator)
    {
        var total = Stopwatch.StartNew();
        await using var gateway = await GatewayServedCorpus.StartAsync(new AlpacaCorpus(data), data, limitPerGenerator);
        var startSeconds = total.Elapsed.TotalSeconds;
        var served = await gateway.ServeAsync();

        var options = new ProvenanceOptions();
        var hostOptions = gateway.Services.GetRequiredService<IOptions<ProvenanceOptions>>().Value;
        if (hostOptions.AttributionThreshold != options.AttributionThreshold || hostOptions.UsePrompt != options.UsePrompt || hostOptions.UseShingles != options.UseShingles)
        {
            throw new InvalidOperationException("the host's provenance settings differ from the library defaults the report describes");
        }

        var run = new AttributionEvaluation(gateway, options, gateway.HostIndex).Run(devOnly: false);
        var markdown = EvaluationReport.Write(run, options, data)
            .Replace("# Provenance evaluation", "# Provenance evaluation through the gateway", StringComparison.Ordinal)
            .Replace("--out docs/provenance-eval.md`", $"--through-gateway{(limitPerGenerator < int.MaxValue ? $" --limit {limitPerGenerator}" : "")} --out docs/provenance-eval-gateway.md`", StringComparison.Ordinal)
            .Replace(", served at random times in the last 90 days.", ", each sent through the gateway (below) — so all served within the run.", StringComparison.Ordinal)
            .Replace("Index built in", "Index filled by the gateway's ingestor; drained after the last response in", StringComparison.Ordinal);

        var line = new StringBuilder();
        line.AppendLine($"- **Served through the gateway**: {gateway.Requests:N0} chat completions{(limitPerGenerator < int.MaxValue ? $" (the first {limitPerGenerator:N0} served records per model)" : "")} sent to one Moat host (`MoatApplication.Create`, SQLite, detection off, enterprise orgs with raised limits) in front of five replaying fake upstreams (`FakeUpstream:ReplayFile` / `ReplayGenerator`, one per served model), 8 at a time: {gateway.ServeSeconds:F1} s wall time, {gateway.Requests / gateway.ServeSeconds:F0} requests/s (host start-up {startSeconds:F1} s). {gateway.Failed:N0} failed; {gateway.TextDiffers:N0} returned text differing from the recording; {gateway.PlaceholderPrompts:N0} Alpaca prompts sent without their `<no input>` placeholder (the replay keys those by the instruction alone). Truth = the gateway's `x-request-id` and returned content; the index searched is the host's own (`IProvenanceIndex`, fed by `ProvenanceIngestor`), {run.ServedCount:N0} entries, ingestor drained in {gateway.DrainSeconds:F1} s.");
        var marker = "## Set-up" + Environment.NewLine + Environment.NewLine;
        var at = markdown.IndexOf(marker, StringComparison.Ordinal);
        markdown = at < 0 ? line + markdown : markdown.Insert(at + marker.Length, line.ToString());
        // The extended pool needs a second index without the held-out instructions: a second host, served the same way.
        await using (var holdOut = await GatewayServedCorpus.StartAsync(new AlpacaCorpus(data, holdOut: true), data, limitPerGenerator))
        {
            await holdOut.ServeAsync();
            var holdOutOptions = new ProvenanceOptions();
            var extended = new AttributionEvaluation(holdOut, holdOutOptions, holdOut.HostIndex).Run(devOnly: false, maxTargetsPerSplit: 1);
            markdown += EvaluationReport.ExtendedPool(extended, holdOutOptions);
            markdown += Environment.NewLine + $"Second host: {holdOut.Requests:N0} requests through the gateway in {holdOut.ServeSeconds:F1} s ({holdOut.Requests / holdOut.ServeSeconds:F0} requests/s), {holdOut.Failed:N0} failed, {holdOut.TextDiffers:N0} differing from the recording." + Environment.NewLine;
        }

        return markdown + Environment.NewLine + $"Total run time (two hosts: start, serving, evaluation): {total.Elapsed.TotalSeconds:F0} s." + Environment.NewLine;
    }
}
