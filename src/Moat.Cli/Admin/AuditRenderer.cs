using Spectre.Console;

namespace Moat.Cli.Admin;

/// <summary>The audit log and its verification.</summary>
internal static class AuditRenderer
{
    public static void List(IAnsiConsole console, AdminResponse response)
    {
        var table = Styles.Table("seq", "at", "actor", "action", "subject", "payload", "hash");
        foreach (var entry in response.Root.Items())
        {
            var hash = entry.Show("hash");
            table.Row(
                entry.Show("seq"), entry.When("at"), entry.Show("actor"), entry.Show("action"), entry.Show("subject"),
                entry.Show("payload"), hash.Length > 12 ? hash[..12] + "…" : hash);
        }
        console.WriteList(table, "no audit entries", response.Root.Text("next_cursor"));
    }

    /// <summary>The sentence both the online and the offline check print.</summary>
    public static string Verdict(bool valid, long entries, long? firstBrokenSeq) =>
        valid
            ? $"audit chain valid: {entries} entries"
            : $"audit chain BROKEN at seq {firstBrokenSeq?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} ({entries} entries checked)";
}
