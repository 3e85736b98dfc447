using System.Text.RegularExpressions;

namespace Moat.Detection.Signals;

/// <summary>
/// Recognises self-instruct style meta-prompts: requests that ask the model to invent many diverse tasks,
/// instructions or questions, often with a numbered Instruction/Input/Output listing of seed examples.
/// Built from the cues such prompts share, not from one prompt's wording, so paraphrases still score.
/// </summary>
public static partial class InstructionGenerationCue
{
    /// <summary>Score at or above which a request counts as an instruction-generation request.</summary>
    public const double HitThreshold = 0.5;

    public static double Score(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length < 30)
        {
            return 0;
        }
        double score = 0;
        if (AskForManyTasks().IsMatch(text))
        {
            score += 0.5;
        }
        if (ListOfTasks().IsMatch(text))
        {
            score += 0.3;
        }
        if (ForAModel().IsMatch(text))
        {
            score += 0.3;
        }
        var listing = NumberedTaskFields().Count(text);
        if (listing >= 2)
        {
            score += 0.4;
        }
        if (listing >= 6)
        {
            score += 0.2;
        }
        if (NoInputMarker().IsMatch(text))
        {
            score += 0.2;
        }
        if (DiversityRequirement().IsMatch(text))
        {
            score += 0.2;
        }
        return Math.Min(1, score);
    }

    [GeneratedRegex(@"\b(generate|create|come up with|write|produce|give me|brainstorm|list|make|compose|draft|propose|design|devise|invent|provide|formulate|craft)\b[^.\n]{0,60}?\b(\d{1,3}|five|ten|twelve|fifteen|twenty|thirty|forty|fifty|a hundred|several|many|multiple|a set of|a batch of|a list of)\b[^.\n]{0,40}?\b(tasks?|instructions?|prompts?|questions?|exercises?|problems?|queries|query|requests?|commands?|assignments?|examples?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AskForManyTasks();

    [GeneratedRegex(@"\b(list|set|batch|collection) of (\d{1,3}|[a-z]+ )?\s*(diverse |different |varied |new |unique )?(tasks?|instructions?|prompts?|questions?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ListOfTasks();

    [GeneratedRegex(@"\b(instructions?|tasks?|prompts?)\b[^.\n]{0,80}\b(given to|for|to train|to evaluate|answered by|completed by)\b[^.\n]{0,20}\b(gpt|language model|llm|ai model|ai assistant|assistant|chatbot|model)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ForAModel();

    [GeneratedRegex(@"^\s*(\d{1,3}[.)]\s*)?(instruction|input|output|task|response)\s*:", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex NumberedTaskFields();

    [GeneratedRegex(@"<\s*no\s*input\s*>|\bthe input field\b|\bnoinput\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NoInputMarker();

    [GeneratedRegex(@"\b(diverse|diversity|varied|variety)\b[^.\n]{0,60}\b(instructions?|tasks?|verbs?|prompts?)\b|\b(instructions?|tasks?)\b[^.\n]{0,40}\b(diverse|varied)\b|\bnot (to )?repeat the verb", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DiversityRequirement();
}
