using System.Buffers;

namespace Moat.Provenance;

/// <summary>
/// Turns text into the ordered sequence of its content words, each as a 16-bit code: 14 bits of the word's hash plus two
/// flags. What the index stores per output (2 bytes per content word, no text) and what verification aligns.
/// <list type="bullet">
/// <item><see cref="NameFlag"/>: the word was capitalised mid-text (a name, or a sentence-initial word). Scrubbers replace
/// names, and a lower-cased copy no longer marks them, so such words may be skipped at no cost on either side.</item>
/// <item><see cref="PromptFlag"/>: the word also occurs in the prompt the output answered (stored side only). Copied prompt
/// text is not evidence of provenance — another model's translation or summary of the same passage copies it too — so
/// a match on it scores nothing and skipping it costs nothing.</item>
/// </list>
/// Stop words and placeholders (numbers, e-mails, URLs, redactions) are left out.
/// </summary>
internal static class WordSequencer
{
    public const ushort HashMask = 0x3FFF;
    public const ushort NameFlag = 0x4000;
    public const ushort PromptFlag = 0x8000;
    public const ushort SoftMask = NameFlag | PromptFlag;

    /// <summary>Codes of the content words of text, in order (a query's, or a test's: no prompt words to flag).</summary>
    public static ushort[] Encode(string text, int maxWords)
    {
        using var normal = NormalForm.Of(text);
        return Encode(normal.Span, null, maxWords);
    }

    /// <summary>The word hashes (flags cleared) of a prompt's normal form: what <see cref="PromptFlag"/> marks.</summary>
    public static HashSet<ushort> PromptWords(ReadOnlySpan<char> promptNormal)
    {
        var words = new HashSet<ushort>();
        foreach (var code in Encode(promptNormal, null, int.MaxValue)) words.Add((ushort)(code & HashMask));
        return words;
    }

    /// <summary>Codes of the content words of a normal form (with names kept), in order; words found in the prompt are flagged.</summary>
    public static ushort[] Encode(ReadOnlySpan<char> span, HashSet<ushort>? promptWords, int maxWords)
    {
        var codes = new List<ushort>(span.Length / 8 + 4);
        foreach (var range in span.Split(' '))
        {
            if (codes.Count >= maxWords) break;
            var token = span[range];
            if (token.IsEmpty || token[0] == '<') continue;
            var isName = token[0] == TextNormalizer.NameMark;
            if (isName) token = token[1..];
            if (token.Length == 1 || StopWords.Contains(token)) continue;
            var code = CodeOf(token);
            if (isName) code |= NameFlag;
            if (promptWords is not null && promptWords.Contains((ushort)(code & HashMask))) code |= PromptFlag;
            codes.Add(code);
        }

        return [.. codes];
    }

    public static ushort CodeOf(ReadOnlySpan<char> lowerToken) => (ushort)((TokenHash.Of(lowerToken) >> 50) & HashMask);

    /// <summary>Retrieval key of two consecutive words (by their hashes), as stored in the posting table.</summary>
    public static uint PairKey(ushort a, ushort b)
    {
        var h = (((ulong)(uint)(a & HashMask) << 16) | (uint)(b & HashMask)) + 0x9E3779B97F4A7C15UL;
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
        return (uint)((h ^ (h >> 31)) >> 32);
    }

    /// <summary>
    /// Keys of an indexed sequence: every pair of consecutive words that are neither names nor prompt words (the soft
    /// words are stepped over), distinct. Derived from the stored codes, so nothing besides them is written to disk.
    /// </summary>
    public static uint[] IndexKeys(ReadOnlySpan<ushort> codes)
    {
        var keys = new List<uint>(codes.Length);
        var previous = -1;
        foreach (var code in codes)
        {
            if ((code & SoftMask) != 0) continue;
            if (previous >= 0) keys.Add(PairKey((ushort)previous, code));
            previous = code;
        }

        if (keys.Count == 0 && previous >= 0) keys.Add(PairKey((ushort)previous, (ushort)previous));
        keys.Sort();
        var distinct = 0;
        for (var i = 0; i < keys.Count; i++)
        {
            if (distinct == 0 || keys[i] != keys[distinct - 1]) keys[distinct++] = keys[i];
        }

        return [.. keys.Take(distinct)];
    }

    /// <summary>Keys of a query in order, with the query position (index into its codes) each ends at.</summary>
    public static (uint Key, int Position)[] QueryKeys(ReadOnlySpan<ushort> codes)
    {
        var keys = new List<(uint, int)>(codes.Length);
        var previous = -1;
        for (var i = 0; i < codes.Length; i++)
        {
            var code = codes[i];
            if ((code & SoftMask) != 0) continue;
            if (previous >= 0) keys.Add((PairKey((ushort)previous, code), i));
            previous = code;
        }

        if (keys.Count == 0 && previous >= 0) keys.Add((PairKey((ushort)previous, (ushort)previous), codes.Length - 1));
        return [.. keys];
    }
}
