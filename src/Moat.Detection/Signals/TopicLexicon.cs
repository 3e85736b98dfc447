using Moat.Detection.Text;

namespace Moat.Detection.Signals;

/// <summary>
/// A small keyword lexicon of broad topic areas. Sweeping all of them evenly at volume is how a distiller
/// covers the space; a product (support bot, translator) or a person stays in a few.
/// </summary>
public static class TopicLexicon
{
    public static readonly string[] Names =
    [
        "math", "programming", "science", "history", "geography", "health", "food", "finance",
        "law", "sports", "music", "arts", "travel", "technology", "language", "relationships",
    ];

    private static readonly string[][] Keywords =
    [
        ["calculate", "equation", "sum", "number", "numbers", "percent", "fraction", "solve", "math", "algebra", "geometry", "probability"],
        ["code", "python", "function", "javascript", "program", "sql", "algorithm", "array", "string", "compile", "bug", "java"],
        ["physics", "chemistry", "biology", "energy", "atom", "cell", "species", "experiment", "theory", "scientific", "molecule", "planet"],
        ["history", "war", "century", "ancient", "empire", "revolution", "president", "king", "historical", "civilization", "medieval", "dynasty"],
        ["country", "city", "capital", "river", "mountain", "continent", "ocean", "population", "region", "border", "island", "climate"],
        ["health", "disease", "doctor", "symptoms", "exercise", "diet", "medical", "sleep", "pain", "treatment", "mental", "vitamin"],
        ["recipe", "cook", "food", "bake", "ingredients", "dish", "meal", "flavor", "kitchen", "eat", "dinner", "sauce"],
        ["money", "invest", "stock", "budget", "tax", "bank", "loan", "price", "finance", "market", "economy", "salary"],
        ["law", "legal", "court", "contract", "rights", "lawyer", "illegal", "police", "crime", "judge", "regulation", "policy"],
        ["sport", "football", "soccer", "basketball", "game", "team", "player", "match", "tennis", "olympic", "coach", "score"],
        ["music", "song", "band", "album", "guitar", "piano", "lyrics", "singer", "melody", "concert", "rhythm", "genre"],
        ["poem", "story", "novel", "painting", "art", "artist", "movie", "film", "character", "poetry", "write", "creative"],
        ["travel", "trip", "hotel", "flight", "visit", "vacation", "tourist", "destination", "airport", "itinerary", "beach", "passport"],
        ["computer", "software", "internet", "phone", "device", "app", "technology", "data", "network", "ai", "robot", "digital"],
        ["word", "sentence", "grammar", "translate", "language", "english", "meaning", "synonym", "spelling", "paragraph", "verb", "noun"],
        ["friend", "relationship", "family", "wife", "husband", "girlfriend", "boyfriend", "parents", "children", "love", "dating", "marriage"],
    ];

    private static readonly Dictionary<ulong, int> Lookup = BuildLookup();

    /// <summary>The topic index of a word hash produced by <see cref="WordTokenizer"/>, or -1.</summary>
    public static int TopicOf(ulong wordHash) => Lookup.TryGetValue(wordHash, out var topic) ? topic : -1;

    private static Dictionary<ulong, int> BuildLookup()
    {
        var lookup = new Dictionary<ulong, int>();
        var tokens = new List<ulong>(1);
        for (var topic = 0; topic < Keywords.Length; topic++)
        {
            foreach (var word in Keywords[topic])
            {
                tokens.Clear();
                WordTokenizer.Tokenize(word, tokens, maskNumbers: false);
                lookup.TryAdd(tokens[0], topic);
            }
        }
        return lookup;
    }
}
