using System.Globalization;
using System.Net.Http.Headers;
using Spectre.Console;

namespace Moat.Cli.Admin;

/// <summary>
/// `moat admin provenance scan`: streams a dataset file to a background scan, follows its progress (a bar on a
/// terminal), cancels it server-side on Ctrl+C, then shows the result, attaches it to a case and saves the report.
/// </summary>
internal static class DatasetScan
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    // Ctrl+C leaves the command this long (System.CommandLine's termination timeout is 2 s) to cancel the server's job.
    private static readonly TimeSpan CancelBudget = TimeSpan.FromSeconds(1.5);

    /// <summary>What to scan and what to do with the result.</summary>
    public sealed record Request(FileInfo File, string? Name, string? Column, string? CaseId, FileInfo? Report);

    /// <summary>The upload's Content-Type, by the file's extension; null when the extension names no format the server reads.</summary>
    public static string? ContentTypeOf(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".jsonl" or ".ndjson" => "application/x-ndjson",
        ".csv" => "text/csv",
        ".txt" or ".md" => "text/plain",
        ".json" => "application/json",
        _ => null,
    };

    public static async Task<int> RunAsync(AdminCall call, Request request, CancellationToken cancellationToken)
    {
        string? id = null;
        try
        {
            id = await StartAsync(call.Client, request, cancellationToken).ConfigureAwait(false);
            var job = await WaitAsync(call, id, cancellationToken).ConfigureAwait(false);
            if (job.Root.Text("status") != "completed" || job.Root.Field("result") is not { } result)
            {
                call.Output.Fail($"scan {id} {job.Root.Show("status")}: {job.Root.Show("error")}");
                return ExitCodes.ServerError;
            }

            call.Show(job, (console, _) => ScanRenderer.Result(console, result));
            if (request.CaseId is { } caseId)
            {
                var attached = await call.Client.PostAsync($"{JobPath(id)}/attach", new { CaseId = caseId }, cancellationToken).ConfigureAwait(false);
                Say(call, $"attached to case {attached.Root.Show("id")} (organization {attached.Root.Show("org_id")}) as evidence");
            }
            if (request.Report is { } report)
            {
                var html = await call.Client.GetTextAsync($"{JobPath(id)}/report", cancellationToken).ConfigureAwait(false);
                try
                {
                    await File.WriteAllTextAsync(report.FullName, html, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    call.Output.Fail($"cannot write the report to {report.FullName}: {e.Message}");
                    return ExitCodes.ServerError;
                }
                Say(call, $"report saved to {report.FullName}");
            }
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (id is not null)
            {
                await CancelAsync(call.Client, id).ConfigureAwait(false);
            }
            call.Output.Fail(id is null ? "interrupted before the scan started" : $"scan {id} cancelled");
            return ExitCodes.Interrupted;
        }
    }

    private static string JobPath(string id) => $"admin/v1/provenance/scans/{AdminApiClient.Segment(id)}";

    /// <summary>Streams the file (never read whole into memory) and answers the new job's id.</summary>
    private static async Task<string> StartAsync(AdminApiClient client, Request request, CancellationToken cancellationToken)
    {
        var type = ContentTypeOf(request.File.Name) ?? throw new ArgumentException($"unknown dataset format: {request.File.Name}", nameof(request));
        var file = new FileStream(request.File.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var content = new StreamContent(file, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue(type) { CharSet = "utf-8" };
        var path = "admin/v1/provenance/scans" + AdminApiClient.QueryString(("name", request.Name), ("column", request.Column));
        var started = await client.PostContentAsync(path, content, cancellationToken).ConfigureAwait(false);
        return started.Root.Text("id")
            ?? throw new AdminApiException(System.Net.HttpStatusCode.OK, "invalid_response", "the server started a scan but did not say its id");
    }

    /// <summary>Polls the job until it has finished, with a progress bar when a person is watching a terminal.</summary>
    private static async Task<AdminResponse> WaitAsync(AdminCall call, string id, CancellationToken cancellationToken)
    {
        if (call.Json || !call.Output.IsTerminal)
        {
            while (true)
            {
                var job = await call.Client.GetAsync(JobPath(id), cancellationToken).ConfigureAwait(false);
                if (IsFinished(job))
                {
                    return job;
                }
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        AdminResponse? last = null;
        await call.Output.Console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("queued", maxValue: 1);
                while (true)
                {
                    last = await call.Client.GetAsync(JobPath(id), cancellationToken).ConfigureAwait(false);
                    var total = Math.Max(1, last.Root.Number("total") ?? 1);
                    var scanned = Math.Min(total, last.Root.Number("scanned") ?? 0);
                    task.MaxValue = total;
                    task.Value = scanned;
                    task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{last.Root.Show("status")} {scanned:N0} / {total:N0} passages"));
                    if (IsFinished(last))
                    {
                        return;
                    }
                    await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        return last!;
    }

    private static bool IsFinished(AdminResponse job) => job.Root.Text("status") is "completed" or "failed" or "cancelled";

    /// <summary>Asks the server to stop the job; best effort (it may have just finished, or the server be gone).</summary>
    private static async Task CancelAsync(AdminApiClient client, string id)
    {
        using var budget = new CancellationTokenSource(CancelBudget);
        try
        {
            await client.PostAsync($"{JobPath(id)}/cancel", null, budget.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AdminApiException or AdminConnectionException or OperationCanceledException)
        {
            // Already finished (409), or no answer in time: nothing more to do on the way out.
        }
    }

    /// <summary>A line for a person; --json keeps standard output to the one JSON document.</summary>
    private static void Say(AdminCall call, string line)
    {
        if (!call.Json)
        {
            call.Output.Console.MarkupLine(Markup.Escape(Moat.Core.Text.UntrustedText.ForDisplay(line)));
        }
    }
}
