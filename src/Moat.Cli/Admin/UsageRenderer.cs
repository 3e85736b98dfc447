using Spectre.Console;

namespace Moat.Cli.Admin;

/// <summary>Usage rows from the ledger, with a total line.</summary>
internal static class UsageRenderer
{
    public static void Table(IAnsiConsole console, AdminResponse response)
    {
        var table = Styles.Table("period", "organization", "key", "model", "requests", "prompt tokens", "completion tokens", "errors");
        double requests = 0, prompt = 0, completion = 0, errors = 0;
        foreach (var row in response.Root.Items())
        {
            table.Row(
                row.Text("period_start") is null ? "all" : row.When("period_start"),
                row.Show("org_id"), row.Show("key_id"), row.Show("model"),
                row.Count("requests"), row.Count("prompt_tokens"), row.Count("completion_tokens"), row.Count("errors"));
            requests += row.Number("requests") ?? 0;
            prompt += row.Number("prompt_tokens") ?? 0;
            completion += row.Number("completion_tokens") ?? 0;
            errors += row.Number("errors") ?? 0;
        }
        if (table.Rows.Count > 1)
        {
            table.AddRow("[bold]total[/]", "", "", "", $"[bold]{requests:#,0}[/]", $"[bold]{prompt:#,0}[/]", $"[bold]{completion:#,0}[/]", $"[bold]{errors:#,0}[/]");
        }
        console.WriteList(table, "no usage", response.Root.Text("next_cursor"));
    }
}
