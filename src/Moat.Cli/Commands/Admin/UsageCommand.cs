using System.CommandLine;
using Moat.Cli.Admin;

namespace Moat.Cli.Commands.Admin;

/// <summary>`moat admin usage`: the ledger, filtered and grouped.</summary>
internal static class UsageCommand
{
    public static Command Create(AdminSession session)
    {
        var org = new Option<string?>("--org") { Description = "Only this organisation." };
        var key = new Option<string?>("--key") { Description = "Only this key." };
        var model = new Option<string?>("--model") { Description = "Only this model." };
        var groupBy = new Option<string?>("--group-by") { Description = "Rows per hour or per day (default: one total per org, key and model)." };
        groupBy.AcceptOnlyFromAmong("hour", "day");
        var from = new Option<string?>("--from") { Description = "Start, inclusive (ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00Z)." };
        var to = new Option<string?>("--to") { Description = "End, exclusive (ISO 8601)." };
        var command = new Command("usage", "Requests and tokens from the usage ledger.") { org, key, model, groupBy, from, to };
        session.SetAction(command,
            (call, result, ct) => call.Client.GetAsync("admin/v1/usage", ct,
                ("org_id", result.GetValue(org)), ("key_id", result.GetValue(key)), ("model", result.GetValue(model)),
                ("group_by", result.GetValue(groupBy)), ("from", result.GetValue(from)), ("to", result.GetValue(to))),
            UsageRenderer.Table);
        return command;
    }
}
