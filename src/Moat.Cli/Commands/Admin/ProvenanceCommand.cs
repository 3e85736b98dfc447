using System.CommandLine;
using Moat.Cli.Admin;

namespace Moat.Cli.Commands.Admin;

/// <summary>`moat admin provenance search|scan`: was this text (or this dataset) served by us, and to whom?</summary>
internal static class ProvenanceCommand
{
    public static Command Create(AdminSession session) =>
        new("provenance", "Trace text back to the responses that served it.") { Search(session), Scan(session) };

    private static Command Search(AdminSession session)
    {
        var file = new Option<FileInfo?>("--file") { Description = "A file holding the suspect text." };
        var text = new Option<string?>("--text") { Description = "The suspect text." };
        var limit = new Option<int?>("--limit") { Description = "Most matches to return." };
        var command = new Command("search", "Search served responses for text (give --file or --text).") { file, text, limit };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(file) is null) == (result.GetValue(text) is null))
            {
                result.AddError("Give exactly one of --file or --text.");
            }
            else if (result.GetValue(file) is { Exists: false } missing)
            {
                result.AddError($"File '{missing.FullName}' does not exist.");
            }
        });
        session.SetAction(command,
            async (call, result, ct) =>
            {
                var suspect = result.GetValue(file) is { } path ? await File.ReadAllTextAsync(path.FullName, ct).ConfigureAwait(false) : result.GetValue(text)!;
                return await call.Client.PostAsync("admin/v1/provenance/search", new { Text = suspect, Limit = result.GetValue(limit) }, ct).ConfigureAwait(false);
            },
            ProvenanceRenderer.Result);
        return command;
    }

    private static Command Scan(AdminSession session)
    {
        var file = new Argument<FileInfo>("file")
        {
            Description = "The dataset: JSON Lines (.jsonl, .ndjson), CSV with a header row (.csv), text with blank lines between passages (.txt, .md) "
                + "or JSON {\"passages\": […]} (.json).",
        };
        var caseId = new Option<string?>("--case") { Description = "Attach the result (and its report) to this case as evidence." };
        var report = new Option<FileInfo?>("--report") { Description = "Save the self-contained HTML report to this file." };
        var column = new Option<string?>("--column") { Description = "The CSV column holding the text (default: the one named text, output, response, …)." };
        var name = new Option<string?>("--name") { Description = "A name for the scan, shown in its report." };
        var command = new Command("scan", "Scan a leaked dataset: which accounts were its passages served to, and how likely is that by chance?")
        {
            file, caseId, report, column, name,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(file) is not { } dataset)
            {
                return;
            }
            if (!dataset.Exists)
            {
                result.AddError($"File '{dataset.FullName}' does not exist.");
            }
            else if (DatasetScan.ContentTypeOf(dataset.Name) is null)
            {
                result.AddError($"Cannot tell the format of '{dataset.Name}' from its extension: use .jsonl or .ndjson (JSON Lines), .csv, .txt or .md (text), or .json.");
            }
            if (result.GetValue(report) is { Directory: { Exists: false } folder })
            {
                result.AddError($"--report: folder '{folder.FullName}' does not exist.");
            }
        });
        session.SetAction(command, (call, result, ct) => DatasetScan.RunAsync(call, new DatasetScan.Request(
            result.GetValue(file)!, result.GetValue(name), result.GetValue(column), result.GetValue(caseId), result.GetValue(report)), ct));
        return command;
    }
}
