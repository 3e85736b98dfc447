using System.Text.RegularExpressions;

namespace Moat.Detection.Signals;

/// <summary>Which benchmark family a prompt looks like.</summary>
public enum BenchmarkStyle
{
    None,
    MathWordProblem,
    CodeCompletion,
    MultipleChoice,
}

/// <summary>
/// Structural cues of benchmark items that generalise beyond any shipped list: grade-school word problems
/// (a short numeric narrative ending in a quantity question), function-signature-plus-docstring code tasks
/// with doctest examples, and lettered multiple-choice options.
/// </summary>
public static partial class BenchmarkStyleCue
{
    public const double HitThreshold = 0.75;

    public static (BenchmarkStyle Style, double Score) Classify(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length < 40)
        {
            return (BenchmarkStyle.None, 0);
        }
        var code = CodeScore(text);
        var choice = MultipleChoiceScore(text);
        var math = code > 0.3 ? 0 : MathScore(text);
        if (code >= choice && code >= math)
        {
            return (code > 0 ? BenchmarkStyle.CodeCompletion : BenchmarkStyle.None, code);
        }
        return choice >= math ? (BenchmarkStyle.MultipleChoice, choice) : (BenchmarkStyle.MathWordProblem, math);
    }

    private static double MathScore(string text)
    {
        if (text.Length > 1500 || text.Contains("```", StringComparison.Ordinal))
        {
            return 0;
        }
        double score = 0;
        var numbers = Number().Count(text) + NumberWord().Count(text);
        if (numbers >= 2)
        {
            score += 0.3;
        }
        if (numbers >= 3)
        {
            score += 0.1;
        }
        var tail = text.Length > 260 ? text[^260..] : text;
        if (QuantityQuestion().IsMatch(tail) || QuantityInstruction().IsMatch(tail))
        {
            score += 0.4;
        }
        if (NamedCharacter().IsMatch(text))
        {
            score += 0.1;
        }
        if (Sentence().Count(text) >= 2)
        {
            score += 0.1;
        }
        if (UnitsOrMoney().IsMatch(text))
        {
            score += 0.2;
        }
        if (FirstPerson().IsMatch(text))
        {
            // People ask about their own numbers; benchmark items narrate about third parties.
            score -= 0.3;
        }
        return Math.Clamp(score, 0, 1);
    }

    private static double CodeScore(string text)
    {
        if (!FunctionSignature().IsMatch(text))
        {
            return 0;
        }
        double score = 0.2;
        if (text.Contains("\"\"\"", StringComparison.Ordinal) || text.Contains("'''", StringComparison.Ordinal))
        {
            score += 0.3;
        }
        if (Doctest().IsMatch(text))
        {
            score += 0.4;
        }
        if (TypingImport().IsMatch(text))
        {
            score += 0.1;
        }
        if (StubEnding().IsMatch(text))
        {
            score += 0.1;
        }
        return Math.Min(1, score);
    }

    private static double MultipleChoiceScore(string text)
    {
        var options = ChoiceOption().Count(text);
        if (options < 3)
        {
            return 0;
        }
        var score = 0.6;
        if (AnswerSlot().IsMatch(text))
        {
            score += 0.3;
        }
        if (options >= 4)
        {
            score += 0.1;
        }
        return Math.Min(1, score);
    }

    [GeneratedRegex(@"(?<![\w.])\$?\d+(?:[.,]\d+)?%?")]
    private static partial Regex Number();

    [GeneratedRegex(@"\b(how (many|much|long|far|old|fast|tall|heavy|often)|what (is|was|will be|would be|were) (the|her|his|their|its) (total|sum|difference|cost|price|number|amount|average|percentage|area|value|combined|final|profit|age|speed|distance)|what percent(age)?|how much more|how many more|in dollars|find the (total|number|value|amount))\b[^?]{0,200}\?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuantityQuestion();

    [GeneratedRegex(@"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|half|twice|double|triple|third|quarter|fifth|dozen)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NumberWord();

    [GeneratedRegex(@"\b(calculate|determine|compute|find|work out)\b[^.?!]{0,120}\b(total|number|amount|cost|price|sum|how|average|difference|percentage|each|remaining|left)\b[^.?!]{0,120}[.?]?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuantityInstruction();

    // A capitalised word after a lower-case one: a named person or shop in the narrative.
    [GeneratedRegex(@"\b[a-z]+ (?!I\b)[A-Z][a-z]{2,}\b")]
    private static partial Regex NamedCharacter();

    [GeneratedRegex(@"[.!?](\s|$)")]
    private static partial Regex Sentence();

    [GeneratedRegex(@"\$\d|\d%|\b(dollars?|cents?|hours?|minutes?|days?|weeks?|years?|miles?|km|kilometers?|meters?|feet|inches|pounds?|kg|ounces?|gallons?|liters?|each|per|twice|half|times|percent)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UnitsOrMoney();

    [GeneratedRegex(@"\b(I|I'm|I've|my|me)\b")]
    private static partial Regex FirstPerson();

    [GeneratedRegex(@"^\s*def [A-Za-z_]\w*\s*\(", RegexOptions.Multiline)]
    private static partial Regex FunctionSignature();

    [GeneratedRegex(@"^\s*>>>|\bfor example\b|\bexamples?\b|\be\.g\.|==>|=>|\bshould return\b|^\s*\w+\(.*\)\s*(==|➞|->)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex Doctest();

    [GeneratedRegex(@"^\s*(from typing import|import \w+)", RegexOptions.Multiline)]
    private static partial Regex TypingImport();

    [GeneratedRegex(@"(""""""|''')\s*$")]
    private static partial Regex StubEnding();

    [GeneratedRegex(@"^\s*\(?[A-Ea-e][).:]\s+\S", RegexOptions.Multiline)]
    private static partial Regex ChoiceOption();

    [GeneratedRegex(@"\banswer\s*:?\s*$|\bchoose the (correct|best)\b|\bwhich of the following\b", RegexOptions.IgnoreCase)]
    private static partial Regex AnswerSlot();
}
