namespace Moat.Architecture.Tests;

/// <summary>The "project | depends on" table in docs/architecture.md is the project graph, not a wish.</summary>
public sealed class ArchitectureDocumentTests
{
    [Fact]
    public void DependencyTable_DocsArchitecture_EqualsProjectReferences()
    {
        var graph = ProjectGraph.Load();
        var documented = DependencyTable.Parse(File.ReadAllLines(Path.Combine(graph.Root, "docs", "architecture.md")));
        var actual = graph.Projects.Values.ToDictionary(p => p.Name, p => Describe(p.References), StringComparer.Ordinal);

        var differences = actual.Keys.Union(documented.Keys)
            .Order(StringComparer.Ordinal)
            .Where(name => !documented.TryGetValue(name, out var doc) || !actual.TryGetValue(name, out var real) || doc != real)
            .Select(name => $"{name}: docs say [{documented.GetValueOrDefault(name) ?? "(no row)"}], csproj says [{actual.GetValueOrDefault(name) ?? "(no project)"}]")
            .ToArray();
        Assert.True(differences.Length == 0, "docs/architecture.md is out of date:\n" + string.Join("\n", differences));
    }

    [Fact]
    public void Parse_TableWithDashForNone_ReadsEveryRow()
    {
        string[] markdown =
        [
            "text before",
            "| project | depends on |",
            "|---|---|",
            "| `Moat.Core` | — |",
            "| `Moat.Gateway` | `Moat.Core` |",
            "| `Moat.Admin` | `Moat.Storage`, `Moat.Core` |",
            "",
            "| other | table |",
        ];

        var table = DependencyTable.Parse(markdown);

        Assert.Equal(3, table.Count);
        Assert.Equal("", table["Moat.Core"]);
        Assert.Equal("Moat.Core, Moat.Storage", table["Moat.Admin"]);
    }

    private static string Describe(IEnumerable<string> references) => string.Join(", ", references.Order(StringComparer.Ordinal));
}

/// <summary>Reads the first markdown table headed <c>| project | depends on |</c>.</summary>
internal static class DependencyTable
{
    public static Dictionary<string, string> Parse(IEnumerable<string> lines)
    {
        var table = new Dictionary<string, string>(StringComparer.Ordinal);
        var inTable = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (!inTable)
            {
                inTable = Cells(line) is ["project", "depends on"];
                continue;
            }
            if (!line.StartsWith('|'))
            {
                break;
            }
            var cells = Cells(line);
            if (cells.Length != 2 || cells[0].All(c => c is '-' or ':'))
            {
                continue;
            }
            var dependencies = cells[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(Unquote)
                .Where(d => d is not ("—" or "-" or ""))
                .Order(StringComparer.Ordinal);
            table[Unquote(cells[0])] = string.Join(", ", dependencies);
        }
        return table;
    }

    private static string[] Cells(string line) =>
        line.StartsWith('|') ? line.Trim('|').Split('|', StringSplitOptions.TrimEntries) : [];

    private static string Unquote(string cell) => cell.Trim('`', ' ');
}
