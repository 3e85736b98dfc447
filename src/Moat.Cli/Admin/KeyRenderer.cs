using System.Text.Json;
using Spectre.Console;

namespace Moat.Cli.Admin;

/// <summary>API keys: tables, and the one moment a secret is shown.</summary>
internal static class KeyRenderer
{
    public static Table Table(IEnumerable<JsonElement> keys)
    {
        var table = Styles.Table("id", "name", "prefix", "created", "last used", "expires", "revoked");
        foreach (var key in keys)
        {
            table.AddRow(
                Markup.Escape(key.Show("id")),
                Markup.Escape(key.Show("name")),
                Markup.Escape(key.Show("prefix")),
                Markup.Escape(key.When("created_at")),
                Markup.Escape(key.When("last_used_at")),
                Markup.Escape(key.When("expires_at")),
                key.Text("revoked_at") is null ? "-" : $"[red]{Markup.Escape(key.When("revoked_at"))}[/]");
        }
        return table;
    }

    public static void List(IAnsiConsole console, AdminResponse response) =>
        console.WriteList(Table(response.Root.Items()), "no keys", response.Root.Text("next_cursor"));

    /// <summary>A created or rotated key: the secret, once, with a warning.</summary>
    public static void Created(IAnsiConsole console, AdminResponse response)
    {
        var key = response.Root;
        console.MarkupLine($"key [bold]{Markup.Escape(key.Show("id"))}[/] ({Markup.Escape(key.Show("name"))}) for organization {Markup.Escape(key.Show("org_id"))}");
        if (key.Text("replaces") is { } old)
        {
            var expiry = key.Text("expires_at") is null ? "now" : "at " + key.When("expires_at");
            console.MarkupLine($"replaces key {Markup.Escape(old)} (old key stops working {Markup.Escape(expiry)})");
        }
        console.MarkupLine("[yellow bold]This secret is shown once and cannot be retrieved again. Store it now.[/]");
        console.WriteLine(key.Show("key"));
    }

    public static void Revoked(IAnsiConsole console, AdminResponse response)
    {
        var key = response.Root;
        console.MarkupLine($"key {Markup.Escape(key.Show("id"))} ({Markup.Escape(key.Show("name"))}) [red]revoked[/] at {Markup.Escape(key.When("revoked_at"))}");
    }
}
