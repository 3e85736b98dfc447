using System.Text;
using System.Text.RegularExpressions;

namespace Moat.Provenance.Eval;

/// <summary>The changes a leaker makes to harvested outputs before publishing them, each deterministic given a seed.</summary>
public sealed partial class Desensitiser(IReadOnlyList<string> vocabulary)
{
    private static readonly Dictionary<string, string[]> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["important"] = ["crucial", "vital", "essential", "key"], ["help"] = ["assist", "aid", "support"], ["use"] = ["employ", "utilize", "apply"],
        ["good"] = ["great", "fine", "solid"], ["many"] = ["numerous", "several", "lots of"], ["make"] = ["create", "produce", "build"],
        ["large"] = ["big", "huge", "sizable"], ["small"] = ["little", "tiny", "minor"], ["different"] = ["various", "distinct", "diverse"],
        ["example"] = ["instance", "illustration", "sample"], ["provide"] = ["offer", "give", "supply"], ["include"] = ["contain", "involve", "cover"],
        ["however"] = ["but", "yet", "still"], ["also"] = ["too", "additionally", "as well"], ["people"] = ["individuals", "persons", "folks"],
        ["often"] = ["frequently", "commonly", "regularly"], ["quickly"] = ["rapidly", "fast", "swiftly"], ["easy"] = ["simple", "straightforward"],
        ["difficult"] = ["hard", "tough", "challenging"], ["show"] = ["display", "demonstrate", "reveal"], ["start"] = ["begin", "commence", "launch"],
        ["end"] = ["finish", "conclude", "close"], ["need"] = ["require", "want"], ["ensure"] = ["make sure", "guarantee"], ["various"] = ["different", "assorted"],
        ["significant"] = ["major", "notable", "considerable"], ["typically"] = ["usually", "generally", "normally"], ["create"] = ["make", "build", "form"],
        ["consider"] = ["think about", "weigh", "ponder"], ["improve"] = ["enhance", "boost", "better"], ["reduce"] = ["lower", "cut", "decrease"],
        ["increase"] = ["raise", "boost", "grow"], ["method"] = ["approach", "technique", "way"], ["result"] = ["outcome", "effect"],
        ["benefit"] = ["advantage", "upside"], ["problem"] = ["issue", "difficulty", "challenge"], ["choose"] = ["pick", "select", "opt for"],
        ["simple"] = ["easy", "basic", "plain"], ["known"] = ["recognized", "famous", "renowned"], ["popular"] = ["well-liked", "common", "favored"],
        ["however,"] = ["nevertheless,", "still,"], ["additionally"] = ["moreover", "furthermore", "also"], ["overall"] = ["in general", "all in all"],
    };

    private static readonly string[] FirstNames = ["Alice", "Bob", "Carlos", "Dana", "Emeka", "Fatima", "Grace", "Hiro", "Ines", "Jonas", "Kofi", "Lena", "Mateo", "Nadia"];
    private static readonly string[] LastNames = ["Smith", "Garcia", "Okafor", "Ivanova", "Chen", "Müller", "Rossi", "Dubois", "Kowalski", "Tanaka"];

    public static string Exact(string text) => text;

    /// <summary>Markdown stripped, list style swapped, re-wrapped to a random width, and the case changed (lower, kept or upper).</summary>
    public static string Reformat(string text, Random random)
    {
        var bullet = random.Next(3) switch { 0 => "• ", 1 => "* ", _ => "" };
        var numbered = 0;
        var paragraphs = new List<string>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = Emphasis().Replace(rawLine, "$2");
            line = line.Replace("`", "", StringComparison.Ordinal).TrimStart('#', '>', ' ', '\t');
            var marker = ListMarker().Match(line);
            if (marker.Success)
            {
                // Numbered becomes bulleted and bulleted becomes numbered.
                line = char.IsDigit(marker.Value.Trim()[0]) ? bullet + line[marker.Length..] : $"{++numbered}) " + line[marker.Length..];
            }

            paragraphs.Add(line.Trim());
        }

        var width = 50 + random.Next(50);
        var wrapped = new StringBuilder();
        foreach (var paragraph in paragraphs)
        {
            var column = 0;
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (column > 0 && column + word.Length + 1 > width) { wrapped.Append('\n'); column = 0; }
                else if (column > 0) { wrapped.Append(' '); column++; }
                wrapped.Append(word);
                column += word.Length;
            }

            wrapped.Append('\n');
        }

        var result = wrapped.ToString();
        return random.Next(3) switch { 0 => result.ToLowerInvariant(), 1 => result, _ => result.ToUpperInvariant() };
    }

    /// <summary>Names, numbers, e-mails and URLs replaced by other values or by [REDACTED] (one style per passage).</summary>
    public static string ScrubPii(string text, Random random)
    {
        var redact = random.Next(2) == 0;
        string Name(Random r) => redact ? "[REDACTED]" : FirstNames[r.Next(FirstNames.Length)] + (r.Next(2) == 0 ? " " + LastNames[r.Next(LastNames.Length)] : "");
        var s = EmailPattern().Replace(text, _ => redact ? "[REDACTED]" : $"user{random.Next(1000)}@example.org");
        s = UrlPattern().Replace(s, _ => redact ? "[REDACTED]" : $"https://example.net/{random.Next(1000)}");
        s = NumberPattern().Replace(s, _ => redact ? "[REDACTED]" : random.Next(1, 5000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        // A capitalised run inside a sentence is what a regex- or NER-style scrubber takes for a name.
        return NamePattern().Replace(s, _ => Name(random));
    }

    public static string Truncate(string text, int words) => string.Join(' ', text.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Take(words));

    public static string ShuffleSentences(string text, Random random)
    {
        var sentences = SentenceBreak().Split(text).Where(s => s.Trim().Length > 0).ToArray();
        random.Shuffle(sentences);
        return string.Join(' ', sentences.Select(s => s.Trim()));
    }

    /// <summary>Each word, with the given probability, is deleted or replaced by a synonym or another common word.</summary>
    public string EditWords(string text, double share, Random random)
    {
        var lines = text.Split('\n');
        for (var l = 0; l < lines.Length; l++)
        {
            var words = lines[l].Split(' ');
            var kept = new List<string>(words.Length);
            foreach (var word in words)
            {
                if (word.Length == 0 || random.NextDouble() >= share) { kept.Add(word); continue; }
                if (random.Next(2) == 0) continue;
                kept.Add(Substitute(word, random));
            }

            lines[l] = string.Join(' ', kept);
        }

        return string.Join('\n', lines);
    }

    /// <summary>Each word, with the given probability, is replaced by a synonym or another common corpus word; none is deleted.</summary>
    public string SubstituteWords(string text, double share, Random random) => MapWords(text, w => random.NextDouble() < share ? Substitute(w, random) : w);

    /// <summary>Each word, with the given probability, is deleted; the rest are kept as they are.</summary>
    public static string DeleteWords(string text, double share, Random random) => MapWords(text, w => random.NextDouble() < share ? null : w);

    /// <summary>The words [offset, offset + words) of the text, joined by single spaces (a window a dataset might quote).</summary>
    public static string Window(string text, int offset, int words) =>
        string.Join(' ', text.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Skip(offset).Take(words));

    private static string MapWords(string text, Func<string, string?> map)
    {
        var lines = text.Split('\n');
        for (var l = 0; l < lines.Length; l++)
        {
            var kept = new List<string>();
            foreach (var word in lines[l].Split(' '))
            {
                if (word.Length == 0) { kept.Add(word); continue; }
                var mapped = map(word);
                if (mapped is not null) kept.Add(mapped);
            }

            lines[l] = string.Join(' ', kept);
        }

        return string.Join('\n', lines);
    }

    private string Substitute(string word, Random random)
    {
        var core = word.Trim(',', '.', ';', ':', '!', '?', '"', '(', ')', '*');
        var start = word.IndexOf(core, StringComparison.Ordinal);
        if (core.Length == 0 || start < 0) return vocabulary[random.Next(vocabulary.Count)];
        var replacement = Synonyms.TryGetValue(core, out var options) ? options[random.Next(options.Length)] : vocabulary[random.Next(vocabulary.Count)];
        if (char.IsUpper(core[0])) replacement = char.ToUpperInvariant(replacement[0]) + replacement[1..];
        return word[..start] + replacement + word[(start + core.Length)..];
    }

    /// <summary>Frequent lower-case words of the corpus, the "plausible words" substitutions draw from.</summary>
    public static List<string> BuildVocabulary(IEnumerable<string> texts, int size = 3000)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (Match m in LowerWord().Matches(text)) counts[m.Value] = counts.GetValueOrDefault(m.Value) + 1;
        }

        return [.. counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(size).Select(kv => kv.Key)];
    }

    [GeneratedRegex(@"(\*\*|__|\*|_)(\S(?:.*?\S)?)\1")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"^\s*(\d+[.)]|[-*+•])\s+")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"[\w.+-]+@[\w-]+\.[\w.-]+")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(https?://|www\.)\S+")]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"\d+(?:[.,:]\d+)*")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"(?<=[\p{Ll},;]\s+)\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)*")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"(?<=[.!?])\s+|\n+")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"\b[a-z]{4,}\b")]
    private static partial Regex LowerWord();
}
