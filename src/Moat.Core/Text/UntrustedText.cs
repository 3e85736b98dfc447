using System.Text;

namespace Moat.Core.Text;

/// <summary>
/// Text from outside (applicants, customers, upstreams, older rows): finds and neutralises the characters that drive a
/// terminal or reorder what a reader sees — C0 and C1 controls, DEL, and the bidirectional overrides and isolates.
/// </summary>
/// <remarks>
/// One type for both sides: input validation refuses such characters (<see cref="FindUnsafe"/>), and every renderer
/// escapes them in whatever was stored before (<see cref="ForDisplay"/>), so an <c>ESC]0;…BEL</c> or <c>ESC[2J</c> in an
/// organisation name reaches an operator's terminal as visible <c>\u001B</c> text, never as a command.
/// </remarks>
public static class UntrustedText
{
    /// <summary>True for a character that must not reach a terminal or a reader as-is.</summary>
    /// <param name="c">The character.</param>
    /// <param name="allowLineBreaks">Whether tab, line feed and carriage return are ordinary here (multi-line text).</param>
    public static bool IsUnsafe(char c, bool allowLineBreaks = false) => c switch
    {
        '\t' or '\n' or '\r' => !allowLineBreaks,
        < '\u0020' => true,                      // C0 controls (ESC, BEL, BS, …)
        >= '\u007F' and <= '\u009F' => true,     // DEL and the C1 controls (CSI U+009B, OSC U+009D, …)
        '\u061C' or '\u200E' or '\u200F' => true, // Arabic letter mark, left-to-right and right-to-left marks
        >= '\u202A' and <= '\u202E' => true,     // bidi embeddings and overrides (LRE, RLE, PDF, LRO, RLO)
        >= '\u2066' and <= '\u2069' => true,     // bidi isolates (LRI, RLI, FSI, PDI)
        _ => false,
    };

    /// <summary>The index of the first unsafe character, or -1 when <paramref name="text"/> is clean.</summary>
    public static int FindUnsafe(ReadOnlySpan<char> text, bool allowLineBreaks = false)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text[i], allowLineBreaks))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// The text with every unsafe character written as a visible <c>\uXXXX</c>; clean text is returned as the same
    /// instance. With <paramref name="allowLineBreaks"/>, tab and line feed are kept and a carriage return is kept only
    /// before a line feed (alone it would move the cursor back over what was already written).
    /// </summary>
    public static string ForDisplay(string text, bool allowLineBreaks = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = FindUnsafe(text, allowLineBreaks);
        if (allowLineBreaks && text.IndexOf('\r', StringComparison.Ordinal) is var cr and >= 0 && (first < 0 || cr < first))
        {
            first = cr;
        }
        if (first < 0)
        {
            return text;
        }
        var builder = new StringBuilder(text.Length + 16);
        builder.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && allowLineBreaks && (i + 1 == text.Length || text[i + 1] != '\n'))
            {
                builder.Append("\\u000D");
            }
            else if (IsUnsafe(c, allowLineBreaks))
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    /// <summary>A short description of a character for an error message, e.g. "U+001B".</summary>
    public static string Describe(char c) => "U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
}
