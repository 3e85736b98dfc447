using System.Text.Json;
using Moat.Simulation;

namespace Moat.Cli.Demo;

/// <summary>Prompts for the demo customers: real requests from the shared data folder when present, built-in ones otherwise.</summary>
internal sealed record DemoPrompts(IReadOnlyList<string> Benign, IReadOnlyList<string> Benchmark)
{
    private static readonly string[] FallbackBenign =
    [
        "How do I make a good cup of coffee with a French press?",
        "Write a short poem about autumn in the city.",
        "Explain the difference between a list and a tuple in Python.",
        "What should I pack for a three-day hiking trip?",
        "Summarise the plot of Romeo and Juliet in three sentences.",
        "Give me tips for a job interview as a junior developer.",
    ];

    private static readonly string[] FallbackBenchmark =
    [
        "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?",
        "Weng earns $12 an hour for babysitting. Yesterday, she just did 50 minutes of babysitting. How much did she earn?",
    ];

    public static DemoPrompts Load(DirectoryInfo? shared)
    {
        var folder = SimulationData.Locate(shared?.FullName);
        if (folder is null)
        {
            return new DemoPrompts(FallbackBenign, FallbackBenchmark);
        }
        var benign = ReadField(Path.Combine(folder, "benign", "alpaca_eval_instructions.jsonl"), "instruction");
        var benchmark = ReadField(Path.Combine(folder, "distill", "gsm8k_train.jsonl"), "question");
        return new DemoPrompts(
            benign.Count > 0 ? benign : FallbackBenign,
            benchmark.Count > 0 ? benchmark : FallbackBenchmark);
    }

    private static List<string> ReadField(string path, string field)
    {
        var values = new List<string>();
        if (!File.Exists(path))
        {
            return values;
        }
        foreach (var line in File.ReadLines(path).Take(2000))
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty(field, out var value) && value.GetString() is { Length: > 0 } text)
            {
                values.Add(text);
            }
        }
        return values;
    }
}
