namespace Moat.Detection.Text;

/// <summary>
/// Whether a conversation's new user turn follows up what came before or is a new task dressed as a turn. A real
/// follow-up is short ("shorter", "why?", "now in Python") or talks about the previous question or answer, so it shares
/// their content words; a harvest laundered through conversations ("Thanks! Next question: …") sends a complete new
/// prompt that shares nothing with them. Content words are letters-only words of four or more characters outside a
/// list of function words, compared by their first six letters (a crude stem: explain/explanation, function/functions).
/// </summary>
public static class FollowUpRelevance
{
    /// <summary>A turn with fewer content words than this is a follow-up, whatever it says.</summary>
    public const int MinimumContentWords = 6;

    /// <summary>A turn is a follow-up when at least this share of its distinct content words occurred in the previous turns.</summary>
    public const double MinimumOverlap = 0.2;

    /// <summary>Characters read of each text (the start of a long answer names what it is about).</summary>
    public const int MaxCharacters = 4_000;

    private const int StemLength = 6;

    [ThreadStatic]
    private static HashSet<ulong>? t_context;

    [ThreadStatic]
    private static HashSet<ulong>? t_turn;

    private static readonly HashSet<ulong> FunctionWords = [.. new[]
    {
        "that", "this", "these", "those", "with", "from", "have", "what", "about", "your", "yours", "which", "would",
        "could", "should", "there", "their", "they", "them", "then", "than", "also", "into", "some", "more", "most",
        "very", "just", "like", "make", "write", "explain", "please", "thanks", "thank", "next", "question", "another",
        "give", "tell", "each", "other", "does", "will", "been", "were", "when", "where", "here", "only", "over",
        "such", "know", "want", "need", "help", "answer", "following", "below", "above", "great", "good", "okay",
        "cool", "perfect", "interesting", "moving", "something", "different", "again", "same", "because", "while",
        "after", "before", "being", "much", "many", "well", "onto", "upon", "every", "even", "still", "think", "sure",
        "really", "maybe", "whom", "whose", "using", "ways", "thing", "things", "helpful", "both", "between", "without",
    }.Select(w => Stem(w.AsSpan()))];

    /// <summary>
    /// True when <paramref name="turn"/> has enough content words and too few of them occur in <paramref name="priorUser"/>
    /// or <paramref name="priorReply"/> to be about them: a new task, not a follow-up.
    /// </summary>
    public static bool IsStandalone(string? turn, string? priorUser, string? priorReply)
    {
        if (string.IsNullOrEmpty(turn))
        {
            return false;
        }
        var words = t_turn ??= [];
        words.Clear();
        AddContentWords(turn, words);
        if (words.Count < MinimumContentWords)
        {
            return false;
        }
        var context = t_context ??= [];
        context.Clear();
        AddContentWords(priorUser, context);
        AddContentWords(priorReply, context);
        var shared = 0;
        foreach (var word in words)
        {
            if (context.Contains(word))
            {
                shared++;
            }
        }
        return shared < MinimumOverlap * words.Count;
    }

    private static void AddContentWords(string? text, HashSet<ulong> output)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }
        var span = text.AsSpan(0, Math.Min(text.Length, MaxCharacters));
        var start = -1;
        for (var i = 0; i <= span.Length; i++)
        {
            if (i < span.Length && char.IsLetter(span[i]))
            {
                if (start < 0)
                {
                    start = i;
                }
                continue;
            }
            if (start >= 0 && i - start >= 4)
            {
                var stem = Stem(span[start..i]);
                if (!FunctionWords.Contains(stem))
                {
                    output.Add(stem);
                }
            }
            start = -1;
        }
    }

    private static ulong Stem(ReadOnlySpan<char> word)
    {
        var hash = StableHash.Seed;
        foreach (var c in word[..Math.Min(word.Length, StemLength)])
        {
            hash = StableHash.Add(hash, char.ToLowerInvariant(c));
        }
        return hash;
    }
}
