using System.Text.Json;
using Spectre.Console;

namespace Moat.Cli.Admin;

/// <summary>Organisations: the list, and one organisation with its limits, keys and recent usage.</summary>
internal static class OrganizationRenderer
{
    public static void List(IAnsiConsole console, AdminResponse response)
    {
        var table = Styles.Table("id", "name", "state", "tier", "req/min", "tok/min", "tok/day", "risk", "open case");
        foreach (var org in response.Root.Items())
        {
            var limits = org.Field("limits") ?? default;
            table.AddRow(
                Markup.Escape(org.Show("id")),
                Markup.Escape(org.Show("name")),
                Styles.State(org.Text("state")),
                Markup.Escape(org.Show("tier")),
                Markup.Escape(Limit(limits, "requests_per_minute")),
                Markup.Escape(Limit(limits, "tokens_per_minute")),
                Markup.Escape(Limit(limits, "tokens_per_day")),
                Risk(org),
                Markup.Escape(org.Show("open_case_id")));
        }
        console.WriteList(table, "no organizations", response.Root.Text("next_cursor"));
    }

    public static void Show(IAnsiConsole console, AdminResponse response)
    {
        var org = response.Root;
        var facts = Styles.Facts(
            ("state", Styles.State(org.Text("state"))),
            ("tier", Markup.Escape(org.Show("tier"))),
            ("use case", Markup.Escape(org.Show("use_case_category"))),
            ("contact", Markup.Escape(org.Show("contact_email"))),
            ("benchmarks", Markup.Escape(org.Show("allow_benchmarks"))),
            ("risk", Risk(org)),
            ("open case", Markup.Escape(org.Show("open_case_id"))),
            ("created", Markup.Escape(org.When("created_at"))),
            ("updated", Markup.Escape(org.When("updated_at"))));
        console.Write(new Panel(facts)
            .Header($"{Markup.Escape(org.Show("name"))} ({Markup.Escape(org.Show("id"))})")
            .Border(BoxBorder.Rounded));

        var limits = org.Field("limits") ?? default;
        var overrides = org.Field("overrides") ?? default;
        var limitTable = Styles.Table("limit", "in force", "override");
        foreach (var (label, field) in new[] { ("requests/minute", "requests_per_minute"), ("tokens/minute", "tokens_per_minute"), ("tokens/day", "tokens_per_day") })
        {
            limitTable.Row(label, Limit(limits, field), overrides.Field(field) is null ? "tier" : Limit(overrides, field));
        }
        console.Write(limitTable);

        var keys = KeyRenderer.Table(org.Items("keys"));
        console.WriteList(keys, "no keys", nextCursor: null);

        if (org.Field("usage") is { } usage)
        {
            console.MarkupLine(
                $"last 24 h: [bold]{Markup.Escape(usage.Count("requests_24h"))}[/] requests, " +
                $"{Markup.Escape(usage.Count("prompt_tokens_24h"))} prompt + {Markup.Escape(usage.Count("completion_tokens_24h"))} completion tokens, " +
                $"{Markup.Escape(usage.Count("errors_24h"))} errors");
        }
    }

    /// <summary>One line after a state, tier or limits change.</summary>
    public static void Changed(IAnsiConsole console, AdminResponse response)
    {
        var org = response.Root;
        var limits = org.Field("limits") ?? default;
        console.MarkupLine(
            $"{Markup.Escape(org.Show("name"))} ({Markup.Escape(org.Show("id"))}): {Styles.State(org.Text("state"))}, tier {Markup.Escape(org.Show("tier"))}, " +
            $"{Markup.Escape(Limit(limits, "requests_per_minute"))} req/min, {Markup.Escape(Limit(limits, "tokens_per_minute"))} tok/min, {Markup.Escape(Limit(limits, "tokens_per_day"))} tok/day");
    }

    /// <summary>A limit with thousands separators; 0 is how the API shows an explicit "unlimited".</summary>
    private static string Limit(JsonElement limits, string field) =>
        limits.Number(field) is <= 0 ? "unlimited" : limits.Count(field);

    private static string Risk(JsonElement org) =>
        org.Field("risk") is { } risk ? $"{Markup.Escape(risk.Show("score"))} {Styles.Level(risk.Text("level"))}" : "-";
}
