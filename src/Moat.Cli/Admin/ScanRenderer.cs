using System.Globalization;
using System.Text.Json;
using Moat.Core.Text;
using Spectre.Console;

namespace Moat.Cli.Admin;

/// <summary>A dataset scan's answer: the verdict, the accounts it landed on with their p-values, the top account's examples.</summary>
internal static class ScanRenderer
{
    private const int ExamplesShown = 5;

    /// <summary>Renders the <c>result</c> of a completed scan job (or the synchronous scan's answer itself).</summary>
    public static void Result(IAnsiConsole console, JsonElement result)
    {
        var verdict = result.Show("verdict");
        var colour = verdict == "attributed" ? "red" : "yellow";
        console.MarkupLine(
            $"verdict: [{colour} bold]{Markup.Escape(verdict)}[/] · {Markup.Escape(result.Count("passages"))} passages " +
            $"({Markup.Escape(result.Count("distinct_passages"))} distinct), {Markup.Escape(result.Count("attributed_passages"))} attributed to an account");

        var accounts = Styles.Table("organization", "passages", "expected by chance", "p-value", "keys", "first served", "last served");
        foreach (var account in result.Items("accounts"))
        {
            accounts.Row(
                account.Show("org_id"),
                account.Count("passages"),
                account.Number("expected_by_chance") is { } expected ? expected.ToString("0.###", CultureInfo.InvariantCulture) : "-",
                PValue(account.Number("p_value")),
                Strings(account, "key_ids"),
                account.When("first_served_at"),
                account.When("last_served_at"));
        }
        console.WriteList(accounts, "no passage landed on any account", nextCursor: null);

        if (result.Items("accounts").FirstOrDefault() is not { ValueKind: JsonValueKind.Object } top)
        {
            return;
        }
        var examples = Styles.Table("passage", "score", "false match", "key", "model", "served", "request");
        foreach (var example in top.Items("examples").Take(ExamplesShown))
        {
            examples.Row(
                example.Show("passage_index"),
                example.Number("score") is { } score ? score.ToString("0.0", CultureInfo.InvariantCulture) : "-",
                PValue(example.Number("false_match_probability")),
                example.Show("key_id"),
                example.Show("model"),
                example.When("served_at"),
                example.Show("request_id"));
        }
        if (examples.Rows.Count > 0)
        {
            console.MarkupLine($"examples for {Markup.Escape(top.Show("org_id"))}:");
            console.Write(examples);
        }
    }

    /// <summary>A probability in scientific notation (the ones that matter are tiny).</summary>
    public static string PValue(double? p) => p switch
    {
        null => "-",
        < 1e-300 => "< 1e-300",
        { } value => value.ToString("0.00e+00", CultureInfo.InvariantCulture),
    };

    private static string Strings(JsonElement element, string name) =>
        string.Join(", ", element.Items(name).Select(s => s.ValueKind == JsonValueKind.String ? UntrustedText.ForDisplay(s.GetString()!) : JsonElementText.Display(s)));
}
