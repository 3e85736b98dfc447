using System.Text;
using System.Text.RegularExpressions;

namespace Moat.Provenance.Eval;

/// <summary>
/// Distinct, realistic-looking outputs for the scale run: 3–9 sentences drawn from the corpora's answers, with about one
/// word in twelve swapped for another corpus word, so that no two outputs are the same text. Output i is a pure function
/// of i, so a query can regenerate any indexed output.
/// </summary>
public sealed partial class SyntheticOutputs
{
    private readonly string[] _sentences;
    private readonly List<string> _vocabulary;

    public SyntheticOutputs(IServedCorpus corpus)
    {
        var texts = corpus.Served().Select(s => s.Served.Text).ToList();
        _sentences = [.. texts.SelectMany(t => SentenceBreak().Split(t)).Select(s => s.Trim()).Where(s => s.Length >= 20 && s.Length <= 400).Distinct()];
        _vocabulary = Desensitiser.BuildVocabulary(texts, 5000);
    }

    public int SentenceCount => _sentences.Length;

    public string Output(long i)
    {
        var random = new Random(unchecked((int)(i * 2654435761L)) ^ 0x5bd1e995);
        var count = 3 + random.Next(7);
        var sb = new StringBuilder(count * 120);
        for (var s = 0; s < count; s++)
        {
            foreach (var word in _sentences[random.Next(_sentences.Length)].Split(' '))
            {
                sb.Append(random.Next(12) == 0 ? _vocabulary[random.Next(_vocabulary.Count)] : word).Append(' ');
            }
        }

        return sb.ToString(0, sb.Length - 1);
    }

    [GeneratedRegex(@"(?<=[.!?])\s+|\n+")]
    private static partial Regex SentenceBreak();
}
