namespace Moat.FakeUpstream.Text;

/// <summary>
/// The common English words the generator draws from. Nouns have regular plurals and verbs
/// regular third-person forms, so inflection is a rule rather than another table.
/// </summary>
internal static class Vocabulary
{
    public static readonly string[] Nouns =
    [
        "system", "process", "team", "project", "method", "result", "question", "answer", "idea", "plan",
        "market", "city", "river", "garden", "student", "teacher", "book", "story", "language", "model",
        "problem", "solution", "house", "road", "school", "company", "customer", "product", "service",
        "record", "report", "design", "feature", "network", "message", "letter", "tool", "machine", "engine",
        "habit", "choice", "value", "price", "budget", "goal", "task", "meeting", "friend", "family",
        "neighbor", "village", "island", "forest", "mountain", "season", "morning", "evening", "window",
        "door", "kitchen", "recipe", "meal", "journey", "map", "signal", "pattern", "picture", "song",
        "film", "game", "rule", "policy", "decision", "effort", "skill", "lesson", "course", "chapter",
        "paper", "source", "detail", "sample", "experiment", "theory", "argument", "reason", "example",
        "difference", "balance", "risk", "benefit", "challenge", "opportunity", "approach", "structure",
        "surface", "material", "engineer", "doctor", "writer", "artist", "farmer", "driver", "player",
        "leader", "worker", "visitor", "audience", "community", "library", "museum", "hospital", "office",
        "factory", "bridge", "station", "harbor", "field", "path", "border", "region", "country", "culture",
        "tradition", "festival", "holiday", "weekend", "schedule", "deadline", "list", "note", "camera",
        "computer", "phone", "screen", "battery", "garage", "bicycle", "train", "ticket", "movement",
        "memory", "feeling", "voice", "habitat", "planet", "ocean", "valley", "desert", "coast", "storm",
        "cloud", "flower", "tree", "seed", "harvest", "market", "shop", "street", "corner", "neighborhood",
        "client", "partner", "agreement", "contract", "account", "payment", "invoice", "version", "update",
        "request", "response", "question", "review", "summary", "draft", "outline", "topic", "theme",
        "concept", "principle", "standard", "measure", "factor", "element", "layer", "step", "stage",
        "routine", "exercise", "muscle", "diet", "vegetable", "fruit", "bread", "coffee", "kettle", "table",
    ];

    public static readonly string[] Verbs =
    [
        "improve", "support", "describe", "explain", "follow", "require", "include", "reduce", "create",
        "protect", "measure", "connect", "change", "build", "share", "review", "test", "shape", "guide",
        "carry", "visit", "study", "collect", "compare", "prepare", "organize", "consider", "discover",
        "develop", "choose", "deliver", "encourage", "examine", "explore", "handle", "introduce", "maintain",
        "notice", "offer", "produce", "provide", "publish", "reach", "reflect", "remember", "repair",
        "replace", "represent", "respect", "serve", "solve", "suggest", "track", "transform", "trust",
        "value", "watch", "welcome", "finish", "fix", "teach", "push", "mix", "touch", "catch", "apply",
        "copy", "try", "clean", "open", "close", "design", "plant", "paint", "cook", "record", "adjust",
        "balance", "combine", "define", "expand", "limit", "monitor", "predict", "simplify", "strengthen",
        "question", "outline", "schedule", "celebrate", "restore", "rebuild", "borrow", "return", "invite",
    ];

    public static readonly string[] Adjectives =
    [
        "simple", "careful", "quiet", "bright", "early", "small", "large", "modern", "ancient", "local",
        "global", "useful", "practical", "difficult", "easy", "clear", "strong", "gentle", "quick", "slow",
        "warm", "cold", "fresh", "important", "common", "rare", "new", "old", "complex", "steady", "honest",
        "familiar", "strange", "natural", "public", "private", "open", "hidden", "narrow", "wide", "deep",
        "short", "long", "heavy", "light", "busy", "calm", "curious", "reliable", "flexible", "typical",
        "original", "recent", "final", "main", "basic", "friendly", "patient", "creative", "serious",
        "obvious", "subtle", "valuable", "efficient", "healthy", "safe", "formal", "informal", "visible",
        "distant", "nearby", "rich", "young", "modest", "generous", "detailed", "rough", "smooth", "sharp",
        "solid", "thin", "wooden", "digital", "physical", "social", "personal", "regional", "seasonal",
        "annual", "daily", "weekly", "careful", "quiet", "green", "golden", "silent", "tiny", "huge",
    ];

    public static readonly string[] Adverbs =
    [
        "quickly", "carefully", "slowly", "often", "rarely", "usually", "quietly", "clearly", "easily",
        "gradually", "steadily", "naturally", "simply", "openly", "directly", "regularly", "closely",
        "gently", "widely", "deeply", "mostly", "largely", "partly", "briefly", "sometimes", "together",
        "again", "later", "well", "rapidly", "patiently", "honestly", "safely", "firmly", "smoothly",
    ];

    public static readonly string[] Prepositions =
    [
        "in", "on", "near", "with", "for", "across", "through", "behind", "beyond", "under", "around",
        "without", "during", "after", "before", "inside", "along", "toward", "beside", "about", "from",
    ];

    public static readonly string[] SingularDeterminers =
    [
        "the", "a", "the", "this", "every", "each", "one", "their", "our", "your", "that", "the",
    ];

    public static readonly string[] PluralDeterminers =
    [
        "the", "these", "many", "some", "most", "our", "their", "several", "those", "few",
    ];

    public static readonly string[] Modals = ["can", "should", "will", "may", "might", "must", "could", "would"];

    public static readonly string[] Conjunctions = ["and", "but", "so", "while", "because", "although", "since"];

    public static readonly string[] Openers =
    [
        "In practice", "For example", "However", "Over time", "In most cases", "At the same time",
        "As a result", "In general", "Of course", "On the other hand", "By contrast", "First", "Finally",
        "In short", "Still", "Meanwhile", "In the end", "For many people", "Even so", "Later",
        "In some places", "Most of the time", "To be fair", "Put simply",
    ];

    public static readonly string[] Subjects = ["you", "we", "they", "people", "most people", "many of us"];

    public static string Plural(string noun) => noun switch
    {
        _ when noun.EndsWith('s') || noun.EndsWith('x') || noun.EndsWith("ch", StringComparison.Ordinal)
            || noun.EndsWith("sh", StringComparison.Ordinal) => noun + "es",
        _ when noun.Length > 1 && noun[^1] == 'y' && !IsVowel(noun[^2]) => noun[..^1] + "ies",
        _ => noun + "s",
    };

    public static string ThirdPerson(string verb) => verb switch
    {
        _ when verb.EndsWith('s') || verb.EndsWith('x') || verb.EndsWith('o') || verb.EndsWith("ch", StringComparison.Ordinal)
            || verb.EndsWith("sh", StringComparison.Ordinal) => verb + "es",
        _ when verb.Length > 1 && verb[^1] == 'y' && !IsVowel(verb[^2]) => verb[..^1] + "ies",
        _ => verb + "s",
    };

    /// <summary>"a" or "an" for the word that follows, by sound for the few common exceptions.</summary>
    public static string Article(string nextWord)
    {
        if (nextWord.StartsWith("hon", StringComparison.Ordinal) || nextWord.StartsWith("hour", StringComparison.Ordinal))
        {
            return "an";
        }

        if (nextWord.StartsWith("use", StringComparison.Ordinal) || nextWord.StartsWith("uni", StringComparison.Ordinal)
            || nextWord.StartsWith("one", StringComparison.Ordinal))
        {
            return "a";
        }

        return IsVowel(nextWord[0]) ? "an" : "a";
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
