using System.CommandLine;
using Moat.Cli.Admin;

namespace Moat.Cli.Commands.Admin;

/// <summary>`moat admin cases list|show|note|resolve`.</summary>
internal static class CasesCommand
{
    public static Command Create(AdminSession session) => new("cases", "Enforcement cases: evidence, notes, resolution.")
    {
        List(session), Show(session), Note(session), Resolve(session),
    };

    private static string CasePath(ParseResult result, Argument<string> id, string? rest = null) =>
        $"admin/v1/cases/{AdminApiClient.Segment(result.GetValue(id)!)}{rest}";

    private static Command List(AdminSession session)
    {
        var status = new Option<string?>("--status") { Description = "open or resolved." };
        status.AcceptOnlyFromAmong("open", "resolved");
        var org = new Option<string?>("--org") { Description = "Only this organisation's cases." };
        var limit = AdminArguments.Limit();
        var cursor = AdminArguments.Cursor();
        var command = new Command("list", "List cases.") { status, org, limit, cursor };
        session.SetAction(command,
            (call, result, ct) => call.Client.GetAsync("admin/v1/cases", ct,
                ("status", result.GetValue(status)), ("org_id", result.GetValue(org)), ("limit", result.GetValue(limit).Text()), ("cursor", result.GetValue(cursor))),
            CaseRenderer.List);
        return command;
    }

    private static Command Show(AdminSession session)
    {
        var id = AdminArguments.Id("id", "The case id.");
        var command = new Command("show", "Show a case and its timeline.") { id };
        session.SetAction(command, (call, result, ct) => call.Client.GetAsync(CasePath(result, id), ct), CaseRenderer.Show);
        return command;
    }

    private static Command Note(AdminSession session)
    {
        var id = AdminArguments.Id("id", "The case id.");
        var text = new Option<string>("--text") { Description = "The note.", Required = true };
        var command = new Command("note", "Add a note to a case.") { id, text };
        session.SetAction(command,
            (call, result, ct) => call.Client.PostAsync(CasePath(result, id, "/notes"), new { Text = result.GetValue(text) }, ct),
            CaseRenderer.Show);
        return command;
    }

    private static Command Resolve(AdminSession session)
    {
        var id = AdminArguments.Id("id", "The case id.");
        var resolution = new Option<string>("--resolution") { Description = "reinstated or terminated (applied to the organisation).", Required = true };
        resolution.AcceptOnlyFromAmong("reinstated", "terminated");
        var reason = AdminArguments.Reason();
        var changes = new Option<string?>("--required-changes") { Description = "What the customer must change (for a reinstatement)." };
        var falsePositive = new Option<bool>("--false-positive")
        {
            Description = "The detection was a false positive: reinstate and put the organisation on the allow-list (no automatic enforcement until it expires).",
        };
        var confirmed = new Option<bool>("--confirmed") { Description = "Record that the detection was right." };
        var days = new Option<int?>("--allow-list-days") { Description = "Days on the allow-list with --false-positive (1-365, server default 30)." };
        var command = new Command("resolve", "Resolve a case: reinstate or terminate the organisation.") { id, resolution, reason, changes, falsePositive, confirmed, days };
        command.Validators.Add(result =>
        {
            if (result.GetValue(falsePositive) && result.GetValue(confirmed))
            {
                result.AddError("--false-positive and --confirmed cannot be combined.");
            }
        });
        session.SetAction(command,
            (call, result, ct) => call.Client.PostAsync(CasePath(result, id, "/resolve"), new
            {
                Resolution = result.GetValue(resolution),
                Reason = result.GetValue(reason),
                RequiredChanges = result.GetValue(changes),
                Verdict = result.GetValue(falsePositive) ? "false_positive" : result.GetValue(confirmed) ? "confirmed" : null,
                AllowListDays = result.GetValue(days),
            }, ct),
            CaseRenderer.Show);
        return command;
    }
}
