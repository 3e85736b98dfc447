using System.Text;

namespace Moat.FakeUpstream.Text;

/// <summary>
/// Deterministic, natural-looking English prose: paragraphs of varied sentences filled from
/// <see cref="Vocabulary"/> by simple grammar templates. Every content word is drawn from the
/// seed, so two seeds share function words but almost no word n-grams, which keeps replies to
/// different prompts far apart for the provenance fingerprints.
/// </summary>
internal static class EnglishTextGenerator
{
    private const int TemplateCount = 15;

    public static string Generate(ulong seed, int minWords, int maxWords)
    {
        var rng = new SplitMix64(seed);
        var target = rng.Between(minWords, Math.Max(minWords, maxWords));
        var text = new StringBuilder(target * 8);
        var sentence = new List<string>(32);
        var words = 0;
        var sentencesLeftInParagraph = rng.Between(3, 6);

        while (words < target)
        {
            var remaining = maxWords - words;
            sentence.Clear();
            if (remaining <= 4)
            {
                ShortSentence(ref rng, sentence);
            }
            else
            {
                // A few tries for a sentence that fits before falling back to cutting one short.
                for (var attempt = 0; attempt < 6; attempt++)
                {
                    sentence.Clear();
                    Sentence(ref rng, sentence);
                    if (sentence.Count <= remaining)
                    {
                        break;
                    }
                }
            }

            if (sentence.Count > remaining)
            {
                sentence.RemoveRange(remaining, sentence.Count - remaining);
                sentence[^1] = sentence[^1].TrimEnd(',') + ".";
            }

            if (words > 0)
            {
                if (--sentencesLeftInParagraph == 0)
                {
                    text.Append("\n\n");
                    sentencesLeftInParagraph = rng.Between(3, 6);
                }
                else
                {
                    text.Append(' ');
                }
            }

            sentence[0] = char.ToUpperInvariant(sentence[0][0]) + sentence[0][1..];
            text.AppendJoin(' ', sentence);
            words += sentence.Count;
        }

        return text.ToString();
    }

    private static void Sentence(ref SplitMix64 rng, List<string> s)
    {
        switch (rng.Next(TemplateCount))
        {
            case 0:
                Singular(ref rng, s);
                s.Add(Vocabulary.ThirdPerson(rng.Pick(Vocabulary.Verbs)));
                Singular(ref rng, s);
                if (rng.Chance(60))
                {
                    s.Add(rng.Pick(Vocabulary.Prepositions));
                    Singular(ref rng, s);
                }

                End(s, ".");
                break;
            case 1:
                AddPhrase(s, rng.Pick(Vocabulary.Openers) + ",");
                Plural(ref rng, s);
                s.Add(rng.Pick(Vocabulary.Verbs));
                Plural(ref rng, s);
                End(s, ".");
                break;
            case 2:
                Singular(ref rng, s);
                s.Add(Vocabulary.ThirdPerson(rng.Pick(Vocabulary.Verbs)));
                s.Add(rng.Pick(Vocabulary.Adverbs) + ",");
                s.Add(rng.Pick(Vocabulary.Conjunctions));
                Singular(ref rng, s);
                s.Add(Vocabulary.ThirdPerson(rng.Pick(Vocabulary.Verbs)));
                Singular(ref rng, s, adjectivePercent: 100);
                End(s, ".");
                break;
            case 3:
                s.Add("when");
                Singular(ref rng, s);
                s.Add(Vocabulary.ThirdPerson(rng.Pick(Vocabulary.Verbs)));
                Singular(ref rng, s);
                s[^1] += ",";
                Plural(ref rng, s);
                s.Add(rng.Pick(Vocabulary.Modals));
                s.Add(rng.Pick(Vocabulary.Verbs));
                Singular(ref rng, s);
                s.Add(rng.Pick(Vocabulary.Adverbs));
                End(s, ".");
                break;
            case 4:
                s.Add("it");
                s.Add("is");
                s.Add(rng.Pick(Vocabulary.Adjectives));
                s.Add("to");
                s.Add(rng.Pick(Vocabulary.Verbs));
                Singular(ref rng, s);
                s.Add(rng.Chance(50) ? "before" : "after");
                AddPhrase(s, rng.Pick(Vocabulary.Subjects));
                s.Add(rng.Pick(Vocabulary.Verbs));
                Singular(ref rng, s);
                End(s, ".");
                break;
            case 5:
                Plural(ref rng, s, determinerPercent: 100);
                s.Add(rng.Pick(Vocabulary.Verbs));
                Singular(ref rng, s);
                s.Add("because");
                Singular(ref rng, s);
                s.Add(Vocabulary.ThirdPerson(rng.Pick(Vocabulary.Verbs)));
                s.Add(rng.Pick(Vocabulary.Adverbs));
                End(s, ".");
                break;
            case 6:
                Singular(ref rng, s);
                s.Add("of");
                Singular(ref rng, s, adjectivePercent: 0);
                s.Add(rng.Pick(Vocabulary.Modals));
                s.Add(rng.Pick(Vocabulary.Verbs));
                Singular(ref rng, s);
                End(s, ".");
                break;
            case 7:
                s.Add("this");
                s.Add("is");
                s.Add("why");
                Plural(ref rng, s);
                s.Add("often");
                s.Add(rng.Pick(Vocabulary.Verbs));
                Singular(ref rng, s);
                End(s, ".");
                break;
            case 8:
                s.Add(rng.Pick(Vocabulary.Adverbs) + ",");
                Singular(ref rng, s);
                s.Add(Vocabulary.ThirdPerson(rng.Pick(Vocabulary.Verbs)));
                s.Add(rng.Pick(Vocabulary.Prepositions));
                Singular(ref rng, s);
                End(s, ".");
                break;
            case 9:
                AddPhrase(s, rng.Pick(Vocabulary.Subjects));
                s.Add(rng.Pick(Vocabulary.Modals));
                s.Add(rng.Pick(Vocabulary.Verbs));
                Singular(ref rng, s);
                s.Add(rng.Pick(Vocabulary.Prepositions));
                Singular(ref rng, s);
                s[^1] += ",";
                s.Add("and");
                s.Add("then");
                s.Add(rng.Pick(Vocabulary.Verbs));
                Singular(ref rng, s, adjectivePercent: 100);
                End(s, ".");
                break;
            case 10:
                ShortSentence(ref rng, s);
                break;
            case 11:
                s.Add("why");
                s.Add("does");
                Singular(ref rng, s);
                s.Add(rng.Pick(Vocabulary.Verbs));
                Singular(ref rng, s);
                End(s, "?");
                break;
            case 12:
                s.Add("if");
                AddPhrase(s, rng.Pick(Vocabulary.Subjects));
                s.Add(rng.Pick(Vocabulary.Verbs));
                Singular(ref rng, s);
                s[^1] += ",";
                Singular(ref rng, s);
                s.Add(rng.Pick(Vocabulary.Modals));
                s.Add(rng.Pick(Vocabulary.Verbs));
                s.Add(rng.Pick(Vocabulary.Adverbs));
                End(s, ".");
                break;
            case 13:
                s.Add("there");
                s.Add("are");
                s.Add(rng.Pick(Vocabulary.Adjectives));
                s.Add(Vocabulary.Plural(rng.Pick(Vocabulary.Nouns)));
                s.Add(rng.Pick(Vocabulary.Prepositions));
                Singular(ref rng, s);
                s.Add("that");
                s.Add(rng.Pick(Vocabulary.Verbs));
                Plural(ref rng, s);
                End(s, ".");
                break;
            default:
                AddPhrase(s, rng.Pick(Vocabulary.Subjects));
                s.Add(rng.Pick(Vocabulary.Modals));
                s.Add("also");
                s.Add(rng.Pick(Vocabulary.Verbs));
                Singular(ref rng, s);
                s[^1] += ",";
                s.Add("which");
                s.Add(Vocabulary.ThirdPerson(rng.Pick(Vocabulary.Verbs)));
                Singular(ref rng, s);
                s.Add(rng.Pick(Vocabulary.Prepositions));
                Plural(ref rng, s);
                End(s, ".");
                break;
        }
    }

    /// <summary>Three words, for the end of a reply that has little room left.</summary>
    private static void ShortSentence(ref SplitMix64 rng, List<string> s)
    {
        s.Add(Vocabulary.Plural(rng.Pick(Vocabulary.Nouns)));
        s.Add(rng.Pick(Vocabulary.Verbs));
        s.Add(rng.Pick(Vocabulary.Adverbs));
        End(s, ".");
    }

    private static void Singular(ref SplitMix64 rng, List<string> s, int adjectivePercent = 45)
    {
        var determiner = rng.Pick(Vocabulary.SingularDeterminers);
        var adjective = rng.Chance(adjectivePercent) ? rng.Pick(Vocabulary.Adjectives) : null;
        var noun = rng.Pick(Vocabulary.Nouns);
        s.Add(determiner == "a" ? Vocabulary.Article(adjective ?? noun) : determiner);
        if (adjective is not null)
        {
            s.Add(adjective);
        }

        s.Add(noun);
    }

    private static void Plural(ref SplitMix64 rng, List<string> s, int determinerPercent = 60)
    {
        if (rng.Chance(determinerPercent))
        {
            s.Add(rng.Pick(Vocabulary.PluralDeterminers));
        }

        if (rng.Chance(40))
        {
            s.Add(rng.Pick(Vocabulary.Adjectives));
        }

        s.Add(Vocabulary.Plural(rng.Pick(Vocabulary.Nouns)));
    }

    private static void End(List<string> s, string mark) => s[^1] += mark;

    // One list entry per word keeps the word count (and so MinWords/MaxWords) exact.
    private static void AddPhrase(List<string> s, string phrase) => s.AddRange(phrase.Split(' '));
}
