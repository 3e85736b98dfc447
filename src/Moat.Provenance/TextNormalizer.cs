using System.Buffers;
using System.Globalization;
using System.Text;

namespace Moat.Provenance;

/// <summary>
/// Maps text to a normal form that desensitising does not change: NFKC, lower case, markdown, list markers and punctuation
/// gone, and numbers, e-mails, URLs, names and redaction marks replaced by class placeholders.
/// </summary>
public static class TextNormalizer
{
    public const string Number = "<num>";
    public const string Email = "<email>";
    public const string Url = "<url>";
    public const string Name = "<name>";
    public const string Redacted = "<pii>";

    /// <summary>Marks a name word in the internal form, which keeps names so fingerprints can be taken with and without them.</summary>
    internal const char NameMark = '\u0001';

    /// <summary>The normal form: tokens separated by single spaces.</summary>
    public static string Normalize(string text)
    {
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(64, text.Length + 16));
        try
        {
            var length = NormalizeInto(text, ref buffer, keepNames: false);
            return new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Writes the normal form into a pooled buffer (which it may swap for a larger one) and returns its length.
    /// With keepNames, a name is written as NameMark + the lower-cased word instead of the placeholder.
    /// </summary>
    internal static int NormalizeInto(string text, ref char[] buffer, bool keepNames)
    {
        var s = ToNfkc(text);
        var writer = new NormalFormWriter(buffer, CaseCarriesNames(s), keepNames);
        try
        {
            var atLineStart = true;
            var i = 0;
            while (i < s.Length)
            {
                var c = s[i];
                if (char.IsWhiteSpace(c))
                {
                    if (c == '\n') atLineStart = true;
                    i++;
                    continue;
                }

                var end = i;
                while (end < s.Length && !char.IsWhiteSpace(s[end])) end++;
                var raw = s.AsSpan(i, end - i);
                // List markers ("1.", "b)") are layout, like bullets; only a line's first token can be one.
                if (!(atLineStart && IsListMarker(raw))) writer.RawToken(raw);
                atLineStart = false;
                i = end;
            }

            return writer.Length;
        }
        finally
        {
            buffer = writer.Buffer;
        }
    }

    private static string ToNfkc(string text)
    {
        try
        {
            return text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            // Lone surrogates make normalisation throw; a leaked passage may well contain them.
            var chars = text.ToCharArray();
            for (var i = 0; i < chars.Length; i++)
            {
                if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) { i++; continue; }
                if (char.IsSurrogate(chars[i])) chars[i] = ' ';
            }

            return new string(chars).Normalize(NormalizationForm.FormKC);
        }
    }

    /// <summary>In ALL-CAPS text capitals say nothing about names, so name detection is off.</summary>
    private static bool CaseCarriesNames(string s)
    {
        int upper = 0, lower = 0;
        foreach (var c in s)
        {
            if (IsFoldableUpper(c)) upper++;
            else if (char.IsLower(c)) lower++;
        }

        return lower > 0 && upper * 10 <= (upper + lower) * 6;
    }

    /// <summary>Only capitals that lower-casing changes count, so a second pass over the normal form sees none (e.g. 'İ' stays).</summary>
    private static bool IsFoldableUpper(char c) => char.IsUpper(c) && char.ToLowerInvariant(c) != c;

    private static bool IsListMarker(ReadOnlySpan<char> raw)
    {
        if (raw.Length < 2 || raw[^1] is not ('.' or ')')) return false;
        var body = raw[..^1];
        if (body.Length == 1 && char.IsAsciiLetterLower(body[0])) return true;
        foreach (var c in body)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }

        return true;
    }

    internal static bool IsWordChar(char c)
    {
        if (char.IsLetterOrDigit(c)) return true;
        var category = char.GetUnicodeCategory(c);
        return category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
    }

    /// <summary>Appends tokens to a pooled char buffer, collapsing runs of the same placeholder.</summary>
    private struct NormalFormWriter(char[] buffer, bool caseCarriesNames, bool keepNames)
    {
        public char[] Buffer = buffer;
        public int Length;
        private string? _lastPlaceholder;

        public void RawToken(ReadOnlySpan<char> raw)
        {
            // The normal form's own placeholders map to themselves, which keeps normalisation idempotent.
            if (raw.Length > 2 && raw[0] == '<' && raw[^1] == '>' && KnownPlaceholder(raw) is { } known)
            {
                Placeholder(known);
                return;
            }

            if (IsBracketedRedaction(raw))
            {
                Placeholder(Redacted);
                return;
            }

            var scheme = raw.IndexOf("://", StringComparison.Ordinal);
            if (scheme > 0)
            {
                var start = scheme;
                while (start > 0 && char.IsAsciiLetter(raw[start - 1])) start--;
                Words(raw[..start]);
                Placeholder(Url);
                return;
            }

            var trimmed = raw.TrimStart("([<\"'*_`");
            if (trimmed.StartsWith("www.", StringComparison.OrdinalIgnoreCase) && trimmed.Length > 4)
            {
                Placeholder(Url);
                return;
            }

            var at = raw.IndexOf('@');
            if (at > 0 && IsEmailChar(raw[at - 1]) && at + 1 < raw.Length && raw[(at + 1)..].Contains('.'))
            {
                var localStart = at;
                while (localStart > 0 && IsEmailChar(raw[localStart - 1])) localStart--;
                var domainEnd = at + 1;
                while (domainEnd < raw.Length && (char.IsAsciiLetterOrDigit(raw[domainEnd]) || raw[domainEnd] is '.' or '-')) domainEnd++;
                Words(raw[..localStart]);
                Placeholder(Email);
                Words(raw[domainEnd..]);
                return;
            }

            Words(raw);
        }

        private static string? KnownPlaceholder(ReadOnlySpan<char> raw) =>
            raw.SequenceEqual(Number) ? Number
            : raw.SequenceEqual(Email) ? Email
            : raw.SequenceEqual(Url) ? Url
            : raw.SequenceEqual(Name) ? Name
            : raw.SequenceEqual(Redacted) ? Redacted
            : null;

        private static bool IsEmailChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

        /// <summary>"[REDACTED]", "&lt;NAME&gt;", "{PHONE_NUMBER}": what scrubbers leave where PII was.</summary>
        private static bool IsBracketedRedaction(ReadOnlySpan<char> raw)
        {
            raw = raw.TrimEnd(",.;:!?\"'");
            if (raw.Length < 3) return false;
            var close = raw[0] switch { '[' => ']', '<' => '>', '{' => '}', _ => '\0' };
            if (close == '\0' || raw[^1] != close) return false;
            var inner = raw[1..^1].Trim("{}[]<>");
            var letters = 0;
            foreach (var c in inner)
            {
                if (char.IsUpper(c)) letters++;
                else if (!(char.IsAsciiDigit(c) || c is '_' or '-' or ' ')) return false;
            }

            return letters > 0;
        }

        private void Words(ReadOnlySpan<char> part)
        {
            var i = 0;
            while (i < part.Length)
            {
                if (!IsWordChar(part[i]))
                {
                    i++;
                    continue;
                }

                var start = i;
                var hasDigit = false;
                while (i < part.Length && IsWordChar(part[i]))
                {
                    hasDigit |= char.IsDigit(part[i]);
                    i++;
                }

                Word(part[start..i], hasDigit);
            }
        }

        private void Word(ReadOnlySpan<char> word, bool hasDigit)
        {
            if (hasDigit)
            {
                Placeholder(Number);
                return;
            }

            var mark = Length;
            Separator();
            var lowerStart = Length;
            Ensure(word.Length);
            for (var j = 0; j < word.Length; j++) Buffer[Length + j] = char.ToLowerInvariant(word[j]);
            Length += word.Length;
            var lower = Buffer.AsSpan(lowerStart, word.Length);

            string? placeholder = null;
            if (lower.SequenceEqual("redacted") || IsRunOfX(lower)) placeholder = Redacted;
            else if (caseCarriesNames && word.Length > 1 && IsFoldableUpper(word[0]) && !StopWords.Contains(lower)) placeholder = Name;

            if (placeholder is null)
            {
                _lastPlaceholder = null;
                return;
            }

            if (keepNames && ReferenceEquals(placeholder, Name))
            {
                Ensure(1);
                Buffer.AsSpan(lowerStart, word.Length).CopyTo(Buffer.AsSpan(lowerStart + 1));
                Buffer[lowerStart] = NameMark;
                Length++;
                _lastPlaceholder = null;
                return;
            }

            Length = mark;
            Placeholder(placeholder);
        }

        private static bool IsRunOfX(ReadOnlySpan<char> lower) => lower.Length >= 3 && !lower.ContainsAnyExcept('x');

        private void Placeholder(string placeholder)
        {
            if (ReferenceEquals(_lastPlaceholder, placeholder)) return;
            Separator();
            Ensure(placeholder.Length);
            placeholder.AsSpan().CopyTo(Buffer.AsSpan(Length));
            Length += placeholder.Length;
            _lastPlaceholder = placeholder;
        }

        private void Separator()
        {
            if (Length == 0) return;
            Ensure(1);
            Buffer[Length++] = ' ';
        }

        private void Ensure(int extra)
        {
            if (Length + extra <= Buffer.Length) return;
            var bigger = ArrayPool<char>.Shared.Rent(Math.Max(Buffer.Length * 2, Length + extra));
            Buffer.AsSpan(0, Length).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(Buffer);
            Buffer = bigger;
        }
    }
}
