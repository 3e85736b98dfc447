using System.Text.Json;

namespace Moat.Provenance.Tests;

/// <summary>A few real chat-model answers (AlpacaEval, Apache-2.0): three instructions answered by four models.</summary>
public static class Fixtures
{
    public sealed record Answer(string Id, string Generator, string Output);

    public static IReadOnlyList<Answer> Answers { get; } = Load();

    /// <summary>Answers the tests serve to accounts.</summary>
    public static IEnumerable<Answer> Served => Answers.Where(a => a.Generator is "gpt4_1106_preview" or "claude-2");

    /// <summary>Other models' answers to the same instructions, never served to anyone.</summary>
    public static IEnumerable<Answer> NeverServed => Answers.Where(a => a.Generator is "gemini-pro" or "zephyr-7b-beta");

    private static List<Answer> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "served.jsonl");
        var list = new List<Answer>();
        foreach (var line in File.ReadLines(path))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            list.Add(new Answer(root.GetProperty("id").GetString()!, root.GetProperty("generator").GetString()!, root.GetProperty("output").GetString()!));
        }

        return list;
    }
}
