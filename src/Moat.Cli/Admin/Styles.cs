using Spectre.Console;

namespace Moat.Cli.Admin;

/// <summary>The few visual conventions every renderer shares.</summary>
internal static class Styles
{
    /// <summary>An organisation or application state as coloured markup.</summary>
    public static string State(string? state) => (state ?? "-").ToLowerInvariant() switch
    {
        "active" or "approved" or "reinstated" or "valid" => $"[green]{Markup.Escape(state!)}[/]",
        "warned" or "pending" or "open" => $"[yellow]{Markup.Escape(state!)}[/]",
        "throttled" => $"[darkorange]{Markup.Escape(state!)}[/]",
        "suspended" or "rejected" or "broken" => $"[red]{Markup.Escape(state!)}[/]",
        "terminated" => $"[grey strikethrough]{Markup.Escape(state!)}[/]",
        _ => Markup.Escape(state ?? "-"),
    };

    /// <summary>A risk level as coloured markup.</summary>
    public static string Level(string? level) => (level ?? "-").ToLowerInvariant() switch
    {
        "low" => $"[green]{Markup.Escape(level!)}[/]",
        "medium" or "elevated" => $"[yellow]{Markup.Escape(level!)}[/]",
        "high" => $"[darkorange]{Markup.Escape(level!)}[/]",
        "critical" => $"[red bold]{Markup.Escape(level!)}[/]",
        _ => Markup.Escape(level ?? "-"),
    };

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn($"[bold]{Markup.Escape(column)}[/]"));
        }
        return table;
    }

    /// <summary>Adds a row of plain (escaped) cells.</summary>
    public static Table Row(this Table table, params string?[] cells)
    {
        table.AddRow([.. cells.Select(c => Markup.Escape(c ?? "-"))]);
        return table;
    }

    /// <summary>Two-column "label  value" grid; values are markup.</summary>
    public static Grid Facts(params (string Label, string Markup)[] facts)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        foreach (var (label, value) in facts)
        {
            grid.AddRow($"[grey]{Markup.Escape(label)}[/]", value);
        }
        return grid;
    }

    /// <summary>Writes the table, or a quiet line when there is nothing to show.</summary>
    public static void WriteList(this IAnsiConsole console, Table table, string empty, string? nextCursor)
    {
        if (table.Rows.Count == 0)
        {
            console.MarkupLine($"[grey]{Markup.Escape(empty)}[/]");
            return;
        }
        console.Write(table);
        if (!string.IsNullOrEmpty(nextCursor))
        {
            console.MarkupLine($"[grey]more: --cursor {Markup.Escape(nextCursor)}[/]");
        }
    }
}
