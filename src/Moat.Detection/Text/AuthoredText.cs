using System.Text;
using System.Text.RegularExpressions;

namespace Moat.Detection.Text;

/// <summary>
/// The part of a prompt its sender wrote, for the content cues: what the user asks, not the material pasted in for the
/// model to work on. Fenced blocks, tagged documents (<c>&lt;document&gt;…&lt;/document&gt;</c>, <c>&lt;context&gt;</c>, …),
/// quoted lines and the middle of a long prompt are left out: a retrieval bot whose documents say "think step by step"
/// or "generate a list of 20 tasks" is not asking for either. Instructions sit at the start or the end of a prompt.
/// </summary>
public static partial class AuthoredText
{
    /// <summary>Characters kept from each end of a long prompt.</summary>
    public const int Edge = 360;

    public static string ForCues(string? prompt)
    {
        if (string.IsNullOrEmpty(prompt))
        {
            return "";
        }
        var text = prompt;
        if (text.Contains("```", StringComparison.Ordinal))
        {
            text = Fenced().Replace(text, " ");
        }
        if (text.Contains('<', StringComparison.Ordinal))
        {
            // The material goes; its opening tag stays: attributes such as target="fr" are the sender's words.
            text = Tagged().Replace(text, static m => " " + m.ValueSpan[..(m.ValueSpan.IndexOf('>') + 1)].ToString() + " ");
        }
        if (text.Contains('>', StringComparison.Ordinal))
        {
            text = Quoted().Replace(text, "");
        }
        if (text.Length <= 2 * Edge + 80)
        {
            return text;
        }
        // The middle of a long prompt is material; keep each end, cut at a word boundary.
        var head = text.AsSpan(0, Edge);
        var tail = text.AsSpan(text.Length - Edge);
        var cutHead = head.LastIndexOfAny(' ', '\n');
        var cutTail = tail.IndexOfAny(' ', '\n');
        var builder = new StringBuilder(2 * Edge + 1);
        builder.Append(cutHead > 0 ? head[..cutHead] : head).Append('\n').Append(cutTail >= 0 ? tail[(cutTail + 1)..] : tail);
        return builder.ToString();
    }

    [GeneratedRegex(@"```.*?(```|\z)", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Fenced();

    [GeneratedRegex(@"<(document|doc|context|source|passage|article|text|data|tool_output|tool_result|search_results?|retrieved|email|transcript)\b[^>]*>.*?(</\1\s*>|\z)", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Tagged();

    [GeneratedRegex(@"^[ \t]*>.*$\n?", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex Quoted();
}
