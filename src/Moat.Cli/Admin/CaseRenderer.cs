using Spectre.Console;

namespace Moat.Cli.Admin;

/// <summary>Enforcement cases: the list, and one case as a timeline.</summary>
internal static class CaseRenderer
{
    public static void List(IAnsiConsole console, AdminResponse response)
    {
        var table = Styles.Table("id", "organization", "status", "opened", "by", "reason", "resolution");
        foreach (var c in response.Root.Items())
        {
            table.AddRow(
                Markup.Escape(c.Show("id")),
                Markup.Escape(c.Show("org_id")),
                Styles.State(c.Text("status")),
                Markup.Escape(c.When("opened_at")),
                Markup.Escape(c.Show("opened_by")),
                Markup.Escape(c.Show("reason")),
                Styles.State(c.Text("resolution")));
        }
        console.WriteList(table, "no cases", response.Root.Text("next_cursor"));
    }

    public static void Show(IAnsiConsole console, AdminResponse response)
    {
        var c = response.Root;
        var facts = Styles.Facts(
            ("organization", Markup.Escape(c.Show("org_id"))),
            ("status", Styles.State(c.Text("status"))),
            ("opened", Markup.Escape($"{c.When("opened_at")} by {c.Show("opened_by")}")),
            ("reason", Markup.Escape(c.Show("reason"))),
            ("resolution", Styles.State(c.Text("resolution"))),
            ("required changes", Markup.Escape(c.Show("required_changes"))),
            ("resolved", Markup.Escape(c.Text("resolved_at") is null ? "-" : $"{c.When("resolved_at")} by {c.Show("resolved_by")}")));
        console.Write(new Panel(facts).Header($"case {Markup.Escape(c.Show("id"))}").Border(BoxBorder.Rounded));

        var timeline = Styles.Table("at", "actor", "kind", "what");
        foreach (var e in c.Items("events"))
        {
            var text = e.Text("text");
            if (e.Field("payload") is { } payload && payload.ValueKind is System.Text.Json.JsonValueKind.Object or System.Text.Json.JsonValueKind.Array)
            {
                var json = JsonElementText.Display(payload);
                text = string.IsNullOrEmpty(text) ? json : $"{text}\n{json}";
            }
            timeline.AddRow(
                Markup.Escape(e.When("at")),
                Markup.Escape(e.Show("actor")),
                Kind(e.Text("kind")),
                Markup.Escape(text ?? "-"));
        }
        console.WriteList(timeline, "no events", nextCursor: null);
    }

    private static string Kind(string? kind) => kind switch
    {
        "action" => "[bold]action[/]",
        "signal" => "[darkorange]signal[/]",
        "evidence" => "[yellow]evidence[/]",
        _ => Markup.Escape(kind ?? "-"),
    };
}
