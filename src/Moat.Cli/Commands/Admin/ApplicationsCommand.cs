using System.CommandLine;
using Moat.Cli.Admin;

namespace Moat.Cli.Commands.Admin;

/// <summary>`moat admin applications list|show|approve|reject`.</summary>
internal static class ApplicationsCommand
{
    public static Command Create(AdminSession session) => new("applications", "Review access applications.")
    {
        List(session), Show(session), Approve(session), Reject(session),
    };

    private static Command List(AdminSession session)
    {
        var status = new Option<string?>("--status") { Description = "Only applications in this status (pending, approved, rejected)." };
        var limit = AdminArguments.Limit();
        var cursor = AdminArguments.Cursor();
        var command = new Command("list", "List applications, oldest pending first.") { status, limit, cursor };
        session.SetAction(command,
            (call, result, ct) => call.Client.GetAsync("admin/v1/applications", ct,
                ("status", result.GetValue(status)), ("limit", result.GetValue(limit).Text()), ("cursor", result.GetValue(cursor))),
            ApplicationRenderer.List);
        return command;
    }

    private static Command Show(AdminSession session)
    {
        var id = AdminArguments.Id("id", "The application id.");
        var command = new Command("show", "Show one application.") { id };
        session.SetAction(command,
            (call, result, ct) => call.Client.GetAsync($"admin/v1/applications/{AdminApiClient.Segment(result.GetValue(id)!)}", ct),
            ApplicationRenderer.Show);
        return command;
    }

    private static Command Approve(AdminSession session)
    {
        var id = AdminArguments.Id("id", "The application id.");
        var tier = new Option<string>("--tier") { Description = "The tier the new organisation starts on.", Required = true };
        var reason = AdminArguments.Reason();
        var command = new Command("approve", "Approve an application: creates the organisation on the given tier.") { id, tier, reason };
        session.SetAction(command,
            (call, result, ct) => call.Client.PostAsync($"admin/v1/applications/{AdminApiClient.Segment(result.GetValue(id)!)}/approve",
                new { Tier = result.GetValue(tier), Reason = result.GetValue(reason) }, ct),
            ApplicationRenderer.Approved);
        return command;
    }

    private static Command Reject(AdminSession session)
    {
        var id = AdminArguments.Id("id", "The application id.");
        var reason = AdminArguments.Reason("Why the application is rejected (required).");
        var command = new Command("reject", "Reject an application.") { id, reason };
        session.SetAction(command,
            (call, result, ct) => call.Client.PostAsync($"admin/v1/applications/{AdminApiClient.Segment(result.GetValue(id)!)}/reject",
                new { Reason = result.GetValue(reason) }, ct),
            ApplicationRenderer.Show);
        return command;
    }
}
