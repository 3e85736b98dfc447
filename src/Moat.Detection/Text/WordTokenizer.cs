namespace Moat.Detection.Text;

/// <summary>
/// Splits text into lower-cased word hashes without allocating strings. Digit runs become one "#" token
/// when <c>maskNumbers</c> is set, so templates whose slots are numbers hash alike.
/// </summary>
public static class WordTokenizer
{
    private static readonly ulong NumberToken = StableHash.Of("#");

    public static void Tokenize(ReadOnlySpan<char> text, List<ulong> output, bool maskNumbers)
    {
        var hash = StableHash.Seed;
        var inWord = false;
        var isNumber = true;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                hash = StableHash.Add(hash, char.ToLowerInvariant(c));
                isNumber &= char.IsDigit(c);
                inWord = true;
                continue;
            }
            if (inWord)
            {
                output.Add(maskNumbers && isNumber ? NumberToken : StableHash.Mix(hash));
            }
            hash = StableHash.Seed;
            inWord = false;
            isNumber = true;
        }
        if (inWord)
        {
            output.Add(maskNumbers && isNumber ? NumberToken : StableHash.Mix(hash));
        }
    }

    /// <summary>The first or last <paramref name="count"/> words, lower-cased, digits masked as "#": a template skeleton safe to show as evidence.</summary>
    public static string Skeleton(ReadOnlySpan<char> text, int count, bool fromEnd)
    {
        var words = new List<string>(count);
        var builder = new System.Text.StringBuilder();
        void Flush(System.Text.StringBuilder b)
        {
            if (b.Length > 0)
            {
                var word = b.ToString();
                words.Add(word.All(char.IsDigit) ? "#" : word);
                b.Clear();
            }
        }
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                Flush(builder);
            }
        }
        Flush(builder);
        var selected = fromEnd ? words.Skip(Math.Max(0, words.Count - count)) : words.Take(count);
        var joined = string.Join(' ', selected);
        return fromEnd ? "… ‹slot› " + joined : joined + " ‹slot› …";
    }
}
