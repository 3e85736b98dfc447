using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Moat.Core.Signals;

/// <summary>
/// A 64-bit fingerprint of a reply's text with whitespace runs collapsed and the ends trimmed, so the text a client
/// sends back as an assistant turn matches what the gateway served even after the client re-wraps or trims it.
/// Detection uses it to tell a conversation the gateway really had from a history the client wrote itself.
/// 0 means "no text".
/// </summary>
public static class ReplyFingerprint
{
    /// <summary>Only the first this many characters count: enough to identify a reply, bounded work for a long one.</summary>
    public const int MaxChars = 1024;

    public static ulong Of(string? text) => text is null ? 0 : Of(text.AsSpan());

    public static ulong Of(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.IsEmpty)
        {
            return 0;
        }
        text = text[..Math.Min(text.Length, MaxChars)];
        Span<char> buffer = stackalloc char[text.Length];
        var written = 0;
        var space = false;
        foreach (var c in text)
        {
            // ASCII whitespace is 9–13 and 32; anything above ASCII goes through the full Unicode test.
            if (c <= ' ' ? c == ' ' || (uint)(c - '\t') <= '\r' - '\t' : c >= '\u0080' && char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (space)
            {
                buffer[written++] = ' ';
                space = false;
            }
            buffer[written++] = c;
        }
        var hash = XxHash64.HashToUInt64(MemoryMarshal.AsBytes(buffer[..written]));
        return hash == 0 ? 1 : hash;
    }
}
