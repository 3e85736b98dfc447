using Spectre.Console;

namespace Moat.Cli.Admin;

/// <summary>The detection allow-list: entries with their case, reviewer and expiry.</summary>
internal static class AllowListRenderer
{
    public static void List(IAnsiConsole console, AdminResponse response)
    {
        var table = Styles.Table("organization", "until", "active", "case", "by", "reason");
        foreach (var entry in response.Root.Items())
        {
            table.AddRow(
                Markup.Escape(entry.Show("org_id")),
                Markup.Escape(entry.When("expires_at")),
                entry.Field("active") is { ValueKind: System.Text.Json.JsonValueKind.True } ? "[green]yes[/]" : "[grey]expired[/]",
                Markup.Escape(entry.Show("case_id")),
                Markup.Escape(entry.Show("created_by")),
                Markup.Escape(entry.Show("reason")));
        }
        console.WriteList(table, "no allow-listed organizations", response.Root.Text("next_cursor"));
    }

    public static void Removed(IAnsiConsole console, AdminResponse response) =>
        console.MarkupLine($"organization {Markup.Escape(response.Root.Show("org_id"))} removed from the allow-list: automatic enforcement applies again");
}
