using System.Text.Json;

namespace Moat.Detection.Benchmarks;

/// <summary>
/// Builds the benchmark index from the shared data folder (GSM8K questions, HumanEval prompts) when it is present,
/// and falls back to the fingerprint file shipped inside this assembly otherwise.
/// </summary>
public static class BenchmarkIndexLoader
{
    public const string EmbeddedResourceName = "Moat.Detection.Benchmarks.benchmark-fingerprints.bin";

    /// <summary>A benchmark item read from the data folder.</summary>
    public sealed record BenchmarkItem(string Id, string Text);

    public static BenchmarkIndex Load(string? dataDirectory)
    {
        if (dataDirectory is not null && Directory.Exists(dataDirectory))
        {
            var items = ReadItems(dataDirectory);
            if (items.Count > 0)
            {
                return Build(items);
            }
        }
        return LoadEmbedded();
    }

    public static BenchmarkIndex Build(IEnumerable<BenchmarkItem> items)
    {
        var index = new BenchmarkIndex();
        foreach (var item in items)
        {
            index.Add(item.Id, item.Text);
        }
        return index;
    }

    public static BenchmarkIndex LoadEmbedded()
    {
        using var stream = typeof(BenchmarkIndexLoader).Assembly.GetManifestResourceStream(EmbeddedResourceName);
        return stream is null ? BenchmarkIndex.Empty : BenchmarkIndex.Load(stream);
    }

    /// <summary>GSM8K questions and HumanEval prompts found under <paramref name="dataDirectory"/>/distill.</summary>
    public static List<BenchmarkItem> ReadItems(string dataDirectory)
    {
        var items = new List<BenchmarkItem>();
        ReadJsonLines(Path.Combine(dataDirectory, "distill", "gsm8k_train.jsonl"), "id", "question", items);
        ReadJsonLines(Path.Combine(dataDirectory, "distill", "humaneval.jsonl"), "task_id", "prompt", items);
        return items;
    }

    private static void ReadJsonLines(string path, string idField, string textField, List<BenchmarkItem> items)
    {
        if (!File.Exists(path))
        {
            return;
        }
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.TryGetProperty(idField, out var id) && root.TryGetProperty(textField, out var text))
            {
                items.Add(new BenchmarkItem(id.GetString() ?? "", text.GetString() ?? ""));
            }
        }
    }
}
