using System.Collections.Frozen;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Moat.Provenance;

/// <summary>English function words: they carry no provenance and are what light paraphrase changes most, so shingles skip them.</summary>
internal static class StopWords
{
    private static readonly string[] Words =
    [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
        "does", "doing", "don", "down", "during", "each", "either", "etc", "even", "ever", "every", "few", "for", "from",
        "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how",
        "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "ll", "may", "me", "might", "more", "most",
        "must", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours",
        "ourselves", "out", "over", "own", "re", "s", "same", "shall", "she", "should", "so", "some", "such", "t", "than",
        "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
        "through", "thus", "to", "too", "under", "until", "up", "upon", "us", "ve", "very", "via", "was", "we", "were",
        "what", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within",
        "without", "would", "yet", "you", "your", "yours", "yourself", "yourselves", "d", "m", "o", "y", "ain", "isn",
        "aren", "wasn", "weren", "hasn", "haven", "hadn", "doesn", "didn", "won", "wouldn", "shan", "shouldn", "couldn",
        "mustn", "needn", "let", "one", "many", "much", "well", "often", "usually", "already", "still", "since", "though",
        "although", "whereas", "instead", "rather", "quite", "really", "therefore", "hence", "else",
    ];

    private static readonly FrozenSet<string> Set = Words.ToFrozenSet(StringComparer.Ordinal);
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> SpanLookup = Set.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<ulong> Hashes = Words.Select(w => TokenHash.Of(w)).ToFrozenSet();

    /// <summary>Expects an already lower-cased word.</summary>
    public static bool Contains(ReadOnlySpan<char> lowerWord) => SpanLookup.Contains(lowerWord);

    public static bool ContainsHash(ulong tokenHash) => Hashes.Contains(tokenHash);
}

/// <summary>64-bit hash of one normalised token.</summary>
internal static class TokenHash
{
    public static ulong Of(ReadOnlySpan<char> token) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(token));
}
