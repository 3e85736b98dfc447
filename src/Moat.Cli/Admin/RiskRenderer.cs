using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Moat.Cli.Admin;

/// <summary>The risk leaderboard, and one organisation's score with its evidence.</summary>
internal static class RiskRenderer
{
    public static void List(IAnsiConsole console, AdminResponse response)
    {
        var table = Styles.Table("organization", "name", "score", "level", "state", "open case", "top signals");
        foreach (var org in response.Root.Items())
        {
            var signals = string.Join(", ", Signals(org).Take(3).Select(s => $"{s.Show("name")} (+{Points(s, "contribution")})"));
            table.AddRow(
                Markup.Escape(org.Show("org_id")),
                Markup.Escape(org.Show("name")),
                Markup.Escape(Points(org, "score")),
                Styles.Level(org.Text("level")),
                Styles.State(org.Text("state")),
                Markup.Escape(org.Show("open_case_id")),
                Markup.Escape(signals.Length == 0 ? "-" : signals));
        }
        console.WriteList(table, "no scored organizations", response.Root.Text("next_cursor"));
    }

    public static void Show(IAnsiConsole console, AdminResponse response)
    {
        var risk = response.Root;
        var facts = Styles.Facts(
            ("score", $"[bold]{Markup.Escape(Points(risk, "score"))}[/] {Styles.Level(risk.Text("level"))}"),
            ("own score", Markup.Escape(Points(risk, "own_score"))),
            ("peak score", Markup.Escape(Points(risk, "peak_score"))),
            ("state", Styles.State(risk.Text("state"))),
            ("open case", Markup.Escape(risk.Show("open_case_id"))),
            ("allow-listed", risk.Text("allow_listed_until") is null ? "-" : $"[green]until {Markup.Escape(risk.When("allow_listed_until"))}[/] (no automatic enforcement)"),
            ("cluster", Markup.Escape(risk.Show("cluster_id"))),
            ("requests", Markup.Escape(risk.Count("requests"))),
            ("scored at", Markup.Escape(risk.When("at"))));
        console.Write(new Panel(facts).Header($"risk of {Markup.Escape(risk.Show("org_id"))}").Border(BoxBorder.Rounded));

        var signals = Styles.Table("signal", "strength", "contribution", "evidence");
        foreach (var signal in Signals(risk).OrderByDescending(s => s.Number("contribution") ?? 0))
        {
            signals.Row(signal.Show("name"), Points(signal, "value"), Points(signal, "contribution"), signal.Show("evidence"));
        }
        console.WriteList(signals, "no signals", nextCursor: null);

        var linked = Styles.Table("linked organization", "reasons", "requests");
        foreach (var org in risk.Items("linked_orgs").Concat(risk.Items("linked_accounts")))
        {
            var reasons = org.Field("reasons") is { ValueKind: JsonValueKind.Array } list
                ? string.Join(", ", list.EnumerateArray().Select(JsonElementText.Display))
                : org.Show("reasons");
            linked.Row(org.Show("org_id"), reasons, org.Count("requests"));
        }
        if (linked.Rows.Count > 0)
        {
            console.Write(linked);
        }

        var history = Styles.Table("at", "score", "level", "top signal");
        foreach (var point in risk.Items("history"))
        {
            history.AddRow(Markup.Escape(point.When("at")), Markup.Escape(Points(point, "score")), Styles.Level(point.Text("level")), Markup.Escape(point.Show("top_signal")));
        }
        if (history.Rows.Count > 0)
        {
            console.Write(history);
        }
    }

    private static IEnumerable<JsonElement> Signals(JsonElement risk) =>
        risk.Field("signals") is not null ? risk.Items("signals") : risk.Items("top_signals");

    private static string Points(JsonElement element, string name) =>
        element.Number(name) is { } n ? n.ToString("0.#", CultureInfo.InvariantCulture) : element.Show(name);
}
