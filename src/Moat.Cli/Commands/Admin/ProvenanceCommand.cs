using System.CommandLine;
using Moat.Cli.Admin;

namespace Moat.Cli.Commands.Admin;

/// <summary>`moat admin provenance search`: was this text served by us, and to whom?</summary>
internal static class ProvenanceCommand
{
    public static Command Create(AdminSession session) => new("provenance", "Trace text back to the responses that served it.") { Search(session) };

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
}
