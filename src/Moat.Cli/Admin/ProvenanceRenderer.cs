using Spectre.Console;

namespace Moat.Cli.Admin;

/// <summary>The answer to "was this text served by us, and to whom?".</summary>
internal static class ProvenanceRenderer
{
    public static void Result(IAnsiConsole console, AdminResponse response)
    {
        var verdict = response.Root.Show("verdict");
        var colour = verdict switch
        {
            "match" or "likely_match" or "served" => "red",
            "no_match" or "not_served" => "green",
            _ => "yellow",
        };
        console.MarkupLine($"verdict: [{colour} bold]{Markup.Escape(verdict)}[/]");
        var table = Styles.Table("score", "matched", "organization", "key", "model", "served", "request");
        foreach (var match in response.Root.Items("matches"))
        {
            var fraction = match.Number("matched_fraction");
            table.Row(
                match.Number("score") is { } score ? score.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : match.Show("score"),
                fraction is { } f ? f.ToString("0%", System.Globalization.CultureInfo.InvariantCulture) : "-",
                match.Show("org_id"), match.Show("key_id"), match.Show("model"), match.When("served_at"), match.Show("request_id"));
        }
        console.WriteList(table, "no matching responses", nextCursor: null);
    }
}
