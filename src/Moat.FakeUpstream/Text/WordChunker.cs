namespace Moat.FakeUpstream.Text;

/// <summary>Splits a reply into streamed pieces of N words whose concatenation is the reply, byte for byte.</summary>
internal static class WordChunker
{
    public static List<string> Split(string text, int wordsPerChunk)
    {
        var chunks = new List<string>(text.Length / 5 / Math.Max(1, wordsPerChunk) + 1);
        var start = 0;
        var words = 0;
        var i = 0;
        while (i < text.Length)
        {
            // A word is its leading whitespace plus the following run of non-whitespace.
            var wordStart = i;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == wordStart)
            {
                break;
            }

            if (++words == wordsPerChunk)
            {
                chunks.Add(text[start..i]);
                start = i;
                words = 0;
            }
        }

        if (start < text.Length)
        {
            chunks.Add(text[start..]);
        }

        return chunks;
    }
}
