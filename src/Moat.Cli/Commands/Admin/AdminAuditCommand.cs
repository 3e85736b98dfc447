using System.CommandLine;
using Moat.Cli.Admin;
using Spectre.Console;

namespace Moat.Cli.Commands.Admin;

/// <summary>`moat admin audit list|verify`: the server's audit log, read over the API.</summary>
internal static class AdminAuditCommand
{
    public static Command Create(AdminSession session) => new("audit", "The hash-chained audit log of every admin change.")
    {
        List(session), Verify(session),
    };

    private static Command List(AdminSession session)
    {
        var limit = AdminArguments.Limit();
        var cursor = AdminArguments.Cursor();
        var action = new Option<string?>("--action") { Description = "Only entries of this action (e.g. org.suspend)." };
        var subject = new Option<string?>("--subject") { Description = "Only entries about this subject (an org, key or case id)." };
        var command = new Command("list", "List audit entries.") { limit, cursor, action, subject };
        session.SetAction(command,
            (call, result, ct) => call.Client.GetAsync("admin/v1/audit", ct,
                ("limit", result.GetValue(limit).Text()), ("cursor", result.GetValue(cursor)),
                ("action", result.GetValue(action)), ("subject", result.GetValue(subject))),
            AuditRenderer.List);
        return command;
    }

    private static Command Verify(AdminSession session)
    {
        var command = new Command("verify", "Ask the server to verify the chain; exit 1 when it is broken.");
        session.SetAction(command, async (call, result, ct) =>
        {
            var response = await call.Client.GetAsync("admin/v1/audit/verify", ct).ConfigureAwait(false);
            var valid = response.Root.Field("valid") is { ValueKind: System.Text.Json.JsonValueKind.True };
            var entries = (long)(response.Root.Number("entries") ?? 0);
            var broken = response.Root.Number("first_broken_seq") is { } seq ? (long?)seq : null;
            call.Show(response, (console, _) => console.WriteLine(AuditRenderer.Verdict(valid, entries, broken)));
            return valid ? ExitCodes.Success : ExitCodes.ServerError;
        });
        return command;
    }
}
