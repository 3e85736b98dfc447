using System.Text.RegularExpressions;

namespace Moat.Detection.Signals;

/// <summary>Recognises chain-of-thought elicitation: requests that ask for the full reasoning trace, not just an answer.</summary>
public static partial class ReasoningElicitationCue
{
    public const double HitThreshold = 0.5;

    public static double Score(string? userPrompt, string? systemPrompt)
    {
        return Math.Min(1, Score(userPrompt) + Score(systemPrompt));
    }

    private static double Score(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }
        double score = 0;
        if (StepByStep().IsMatch(text))
        {
            score += 0.5;
        }
        if (ShowReasoning().IsMatch(text))
        {
            score += 0.5;
        }
        if (ThinkCue().IsMatch(text))
        {
            score += 0.5;
        }
        if (BeforeAnswer().IsMatch(text))
        {
            score += 0.3;
        }
        if (FinalAnswerFormat().IsMatch(text))
        {
            score += 0.2;
        }
        return Math.Min(1, score);
    }

    [GeneratedRegex(@"\bstep[- ]by[- ]step\b|\bone step at a time\b|\beach (intermediate )?step\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StepByStep();

    [GeneratedRegex(@"\b(show|explain|include|write out|give|provide|walk (me )?through|detail|spell out|lay out|output|reveal|expose)\b[^.\n]{0,30}?\b(reasoning|working|work|thought process|thinking|derivation|rationale|intermediate steps|all steps|every step|chain of thought)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ShowReasoning();

    [GeneratedRegex(@"\bchain[- ]of[- ]thought\b|\breasoning (trace|chain|steps)\b|\bthink (carefully|aloud|out loud|it through|through (this|it|the problem))\b|\blet'?s think\b|<\s*(think|reasoning|scratchpad)\s*>|\bscratch ?pad\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ThinkCue();

    [GeneratedRegex(@"\bbefore (giving|stating|writing|you give|answering|you answer|the)\b[^.\n]{0,30}\banswer\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BeforeAnswer();

    [GeneratedRegex(@"\bfinal answer\b|\banswer (in|on) the (last|final) line\b|####", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FinalAnswerFormat();
}
