using System.Text.Json;
using Moat.Detection.Benchmarks;
using Moat.Detection.Text;

namespace Moat.Simulation;

/// <summary>Which part of each data file a run draws from.</summary>
public enum DataSplit
{
    /// <summary>About 70% of each file: used to tune cues and weights; the benchmark index is built from it.</summary>
    Tuning,

    /// <summary>The other ~30%: reported on; never in the benchmark index, so benchmark detection must generalise.</summary>
    HeldOut,
}

/// <summary>A seed task of the self-instruct pool.</summary>
public sealed record SeedTask(string Id, string Instruction, string Input, string Output);

/// <summary>An Alpaca-style instruction with optional input.</summary>
public sealed record InstructionItem(string Id, string Instruction, string Input, string Output);

/// <summary>The shared data files, split deterministically by id into tuning and held-out parts.</summary>
public sealed class SimulationData
{
    public required IReadOnlyList<(string Id, string Text)> BenignInstructions { get; init; }
    public required IReadOnlyList<SeedTask> SeedTasks { get; init; }
    public required string SelfInstructPrompt { get; init; }
    public required IReadOnlyList<(string Id, string Question)> Gsm8k { get; init; }
    public required IReadOnlyList<(string Id, string Prompt)> HumanEval { get; init; }
    public required IReadOnlyList<InstructionItem> AlpacaInstructions { get; init; }

    /// <summary>Index of the tuning split's benchmark items (what a provider would have "seen").</summary>
    public required BenchmarkIndex Index { get; init; }

    public static bool IsHeldOut(string id) => StableHash.Of(id) % 10 < 3;

    private static bool InSplit(string id, DataSplit split) => IsHeldOut(id) == (split == DataSplit.HeldOut);

    public static SimulationData Load(string dataDirectory, DataSplit split)
    {
        if (!Directory.Exists(dataDirectory))
        {
            throw new DirectoryNotFoundException($"Simulation data folder not found: {dataDirectory}");
        }
        var benign = Read(Path.Combine(dataDirectory, "benign", "alpaca_eval_instructions.jsonl"))
            .Select(e => (Id: e.GetProperty("id").GetString()!, Text: e.GetProperty("instruction").GetString()!))
            .Where(e => InSplit(e.Id, split)).ToList();
        var seeds = Read(Path.Combine(dataDirectory, "distill", "alpaca_seed_tasks.jsonl"))
            .Select(e =>
            {
                var instance = e.GetProperty("instances")[0];
                return new SeedTask(e.GetProperty("id").GetString()!, e.GetProperty("instruction").GetString()!,
                    instance.GetProperty("input").GetString() ?? "", instance.GetProperty("output").GetString() ?? "");
            })
            .Where(s => InSplit(s.Id, split)).ToList();
        var gsm8kAll = Read(Path.Combine(dataDirectory, "distill", "gsm8k_train.jsonl"))
            .Select(e => (Id: e.GetProperty("id").GetString()!, Question: e.GetProperty("question").GetString()!)).ToList();
        var humanEvalAll = Read(Path.Combine(dataDirectory, "distill", "humaneval.jsonl"))
            .Select(e => (Id: e.GetProperty("task_id").GetString()!, Prompt: e.GetProperty("prompt").GetString()!)).ToList();
        var alpaca = Read(Path.Combine(dataDirectory, "outputs", "alpaca_outputs_dev.jsonl"))
            .Select(e => new InstructionItem(e.GetProperty("id").GetString()!, e.GetProperty("instruction").GetString()!,
                e.GetProperty("input").GetString() ?? "", e.GetProperty("output").GetString() ?? ""))
            .Where(a => InSplit(a.Id, split)).ToList();
        // The index always holds the tuning part only: held-out harvesters must be caught by structure.
        var index = BenchmarkIndexLoader.Build(
            gsm8kAll.Where(g => !IsHeldOut(g.Id)).Select(g => new BenchmarkIndexLoader.BenchmarkItem(g.Id, g.Question))
                .Concat(humanEvalAll.Where(h => !IsHeldOut(h.Id)).Select(h => new BenchmarkIndexLoader.BenchmarkItem(h.Id, h.Prompt))));
        return new SimulationData
        {
            BenignInstructions = benign,
            SeedTasks = seeds,
            SelfInstructPrompt = File.ReadAllText(Path.Combine(dataDirectory, "distill", "self_instruct_prompt.txt")),
            Gsm8k = gsm8kAll.Where(g => InSplit(g.Id, split)).ToList(),
            HumanEval = humanEvalAll.Where(h => InSplit(h.Id, split)).ToList(),
            AlpacaInstructions = alpaca,
            Index = index,
        };
    }

    /// <summary>Finds the shared data folder from the working directory upwards (../shared/data from the repo).</summary>
    public static string? Locate(string? explicitPath = null)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return Directory.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : null;
        }
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null)
        {
            var candidate = Path.Combine(directory.FullName, "..", "shared", "data");
            if (Directory.Exists(Path.Combine(candidate, "distill")))
            {
                return Path.GetFullPath(candidate);
            }
            directory = directory.Parent;
        }
        return null;
    }

    private static IEnumerable<JsonElement> Read(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return JsonDocument.Parse(line).RootElement.Clone();
            }
        }
    }
}
