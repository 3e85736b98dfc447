using System.Text;
using System.Text.RegularExpressions;

namespace Moat.Simulation.Tenants;

/// <summary>Builds Alpaca's instruction-generation prompt (original or the PR #24 fix) and paraphrased variants of it.</summary>
internal static partial class SelfInstructPrompts
{
    /// <summary>The Alpaca encoding: the prompt, then numbered seed tasks separated by ###, ending with the next "Instruction:".</summary>
    public static string Alpaca(string template, IReadOnlyList<SeedTask> seeds, bool fixedVariant)
    {
        var prompt = fixedVariant ? Fix(template) : template;
        var builder = new StringBuilder(prompt).Append('\n');
        for (var i = 0; i < seeds.Count; i++)
        {
            var instruction = Whitespace().Replace(seeds[i].Instruction, " ").Trim().TrimEnd(':');
            var input = seeds[i].Input.Length == 0 ? "<noinput>" : seeds[i].Input;
            builder.Append("###\n")
                .Append(i + 1).Append(". Instruction: ").Append(instruction).Append('\n')
                .Append(i + 1).Append(". Input:\n").Append(input).Append('\n')
                .Append(i + 1).Append(". Output:\n").Append(seeds[i].Output).Append('\n');
        }
        builder.Append("###\n").Append(seeds.Count + 1).Append(". Instruction:");
        return builder.ToString();
    }

    /// <summary>The later fix: typos corrected and the requirement list renumbered.</summary>
    private static string Fix(string template)
    {
        var text = template.Replace("instrucitons", "instructions", StringComparison.Ordinal)
            .Replace("necssary", "necessary", StringComparison.Ordinal);
        var number = 0;
        return RequirementNumber().Replace(text, _ => $"{++number}. ");
    }

    private static readonly string[][] Sentences =
    [
        ["You are asked to come up with a set of {0} diverse task instructions.", "Please produce {0} varied tasks that an AI assistant could be asked to do.",
         "I need {0} new and different instructions for training a chatbot.", "Brainstorm {0} distinct prompts a user might give a language model.",
         "Create a batch of {0} assignments for an AI model, each one different from the others."],
        ["These will be given to a GPT model and we will evaluate how well it completes them.", "A language model will later answer each of them.",
         "They are meant to be answered by an assistant model.", ""],
        ["Avoid repeating the same verb.", "Vary the wording and the verbs as much as you can.", "Mix questions with imperative commands.", ""],
        ["Cover many kinds of tasks: open-ended generation, classification, editing, rewriting, and so on.", "Include classification, brainstorming, editing and open QA tasks.", ""],
        ["Each one should be one or two sentences long and written in English.", "Keep each task short, in English."],
        ["Where it makes sense, add a realistic input example (write <noinput> otherwise) and a response under 100 words.",
         "Give every task an input (or say there is none) and a short sample output.", "Provide an example input and the expected output for each."],
    ];

    private static readonly string[][] SeedFormats =
    [
        ["Instruction: {0}", "Input: {1}", "Output: {2}"],
        ["Task: {0}", "Input: {1}", "Response: {2}"],
        ["Q{3}: {0}", "Context: {1}", "A{3}: {2}"],
        ["{3}) {0}", "   input: {1}", "   answer: {2}"],
    ];

    /// <summary>A re-worded generation prompt with its own seed layout: the same intent, different surface.</summary>
    public static string Paraphrased(Random random, IReadOnlyList<SeedTask> seeds)
    {
        var count = (random.Next(4) + 2) * 5;
        var builder = new StringBuilder();
        foreach (var options in Sentences)
        {
            var sentence = options[random.Next(options.Length)];
            if (sentence.Length > 0)
            {
                builder.Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, sentence, count)).Append(' ');
            }
        }
        builder.Append("\n\nHere are some examples:\n");
        var format = SeedFormats[random.Next(SeedFormats.Length)];
        for (var i = 0; i < seeds.Count; i++)
        {
            var input = seeds[i].Input.Length == 0 ? "(none)" : seeds[i].Input;
            foreach (var line in format)
            {
                builder.Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, line, seeds[i].Instruction, input, seeds[i].Output, i + 1)).Append('\n');
            }
            builder.Append('\n');
        }
        builder.Append(random.Next(2) == 0 ? "Now write the new ones." : $"Continue the list up to {count}.");
        return builder.ToString();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"(?m)^\d\. (?=\S)")]
    private static partial Regex RequirementNumber();
}
