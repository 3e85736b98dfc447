using System.CommandLine;
using Moat.Cli.Admin;

namespace Moat.Cli.Commands.Admin;

/// <summary>`moat admin allow-list list|remove`: organisations a reviewer found to be false positives.</summary>
internal static class AllowListCommand
{
    public static Command Create(AdminSession session) => new("allow-list", "Detection allow-list: organisations automatic enforcement leaves alone until the entry expires (add one with `cases resolve --false-positive`).")
    {
        List(session), Remove(session),
    };

    private static Command List(AdminSession session)
    {
        var limit = AdminArguments.Limit();
        var cursor = AdminArguments.Cursor();
        var command = new Command("list", "List allow-list entries, expired ones included.") { limit, cursor };
        session.SetAction(command,
            (call, result, ct) => call.Client.GetAsync("admin/v1/allow-list", ct, ("limit", result.GetValue(limit).Text()), ("cursor", result.GetValue(cursor))),
            AllowListRenderer.List);
        return command;
    }

    private static Command Remove(AdminSession session)
    {
        var org = AdminArguments.Id("org_id", "The organisation.");
        var reason = AdminArguments.Reason();
        var command = new Command("remove", "Take an organisation off the allow-list: automatic enforcement applies again.") { org, reason };
        session.SetAction(command,
            (call, result, ct) => call.Client.DeleteAsync($"admin/v1/allow-list/{AdminApiClient.Segment(result.GetValue(org)!)}", new { Reason = result.GetValue(reason) }, ct),
            AllowListRenderer.Removed);
        return command;
    }
}
