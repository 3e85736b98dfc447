using CsCheck;

namespace Moat.Provenance.Tests;

public sealed class TextNormalizerTests
{
    private static readonly Gen<string> Word = Gen.OneOf(
        "model", "river", "quantum", "bear", "species", "extinct", "career", "theatre", "retinoid", "skin", "the", "of", "and",
        "café", "naïve", "ﬁnance", "Ｆｕｌｌｗｉｄｔｈ", "straße", "über", "it's", "well-known", "e.g.");

    private static readonly Gen<string> Prose = Word.Array[3, 30].Select(words => string.Join(' ', words));

    private static readonly Gen<string> AnyText = Gen.String[Gen.Char["abcXYZ019 .,;:!?'\"-*_#`()[]<>{}@/\n\tßéİıﬁ①Ⅻ\u0301\u200b"], 0, 80];

    [Fact]
    public void Normalize_AnyText_IsIdempotent()
    {
        AnyText.Sample(text => Assert.Equal(Escape(TextNormalizer.Normalize(text)), Escape(TextNormalizer.Normalize(TextNormalizer.Normalize(text)))));
        Fixtures.Answers.Select(a => a.Output).ToList().ForEach(text =>
            Assert.Equal(TextNormalizer.Normalize(text), TextNormalizer.Normalize(TextNormalizer.Normalize(text))));
    }

    private static string Escape(string s) => string.Concat(s.Select(c => c < 128 ? c.ToString() : $"\\u{(int)c:x4}"));

    [Fact]
    public void Normalize_NumbersReplacedByOtherNumbers_Unchanged()
    {
        Gen.Select(Prose, Gen.Int[0, 1_000_000], Gen.Int[0, 1_000_000], Gen.Double[-1e6, 1e6]).Sample((prose, a, b, d) =>
            TextNormalizer.Normalize($"{prose} costs {a} dollars in {b} and grew {a}.{b}% today, phone 555-0100")
            == TextNormalizer.Normalize($"{prose} costs {b} dollars in {a} and grew {d:F3}% today, phone 1 (800) 222-3333"));
    }

    [Fact]
    public void Normalize_EmailsAndUrlsReplaced_Unchanged()
    {
        var user = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789._"], 1, 12].Where(s => char.IsAsciiLetterOrDigit(s[0]) && char.IsAsciiLetterOrDigit(s[^1]));
        var host = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz"], 2, 10];
        Gen.Select(Prose, user, host, user, host).Sample((prose, u1, h1, u2, h2) =>
            TextNormalizer.Normalize($"{prose} write to {u1}@{h1}.com or see https://{h1}.org/{u1}?q=1 today")
            == TextNormalizer.Normalize($"{prose} write to {u2}@{h2}.co.uk or see http://www.{h2}.net/ today"));
    }

    [Fact]
    public void Normalize_NamesReplacedByOtherNames_Unchanged()
    {
        var name = Gen.OneOf("Sarah Jessica Parker", "Meryl Streep", "Hugh", "Alice Smith", "Jean-Luc Picard", "Zoë Saldaña", "McDonald");
        Gen.Select(Prose, name, name).Sample((prose, a, b) =>
            TextNormalizer.Normalize($"{prose}, said {a} to the press; later {a}'s agent agreed.")
            == TextNormalizer.Normalize($"{prose}, said {b} to the press; later {b}'s agent agreed."));
    }

    [Fact]
    public void Normalize_WhitespaceChanged_Unchanged()
    {
        var gap = Gen.OneOf(" ", "  ", "\t", " \t ", "\u00a0", "\u2003");
        Gen.Select(Word.Array[3, 30], gap.Array[29]).Sample((words, gaps) =>
        {
            var spaced = string.Concat(words.Select((w, i) => i < words.Length - 1 ? w + gaps[i] : w));
            return TextNormalizer.Normalize(string.Join(' ', words)) == TextNormalizer.Normalize(spaced);
        });
    }

    [Fact]
    public void Normalize_MarkdownAndListStyleChanged_Unchanged()
    {
        var decorate = Gen.OneOf<Func<string, string>>(w => w, w => $"**{w}**", w => $"_{w}_", w => $"`{w}`", w => $"*{w}*");
        var marker = Gen.OneOf("- ", "* ", "+ ", "1. ", "2) ", "• ", "## ", "> ", "a) ");
        Gen.Select(Prose.Array[1, 6], decorate, marker).Sample((lines, style, bullet) =>
        {
            var plain = string.Join("\n", lines);
            var markdown = string.Join("\n", lines.Select(line => bullet + string.Join(' ', line.Split(' ').Select(style))));
            return TextNormalizer.Normalize(plain) == TextNormalizer.Normalize(markdown);
        });
    }

    [Fact]
    public void Normalize_Placeholders_AreClassNames()
    {
        Assert.Equal("<name> lives at <num> <name> mail <email> or <url> <pii>",
            TextNormalizer.Normalize("Alice lives at 42 Baker Street, mail alice@example.com or https://example.com [REDACTED]"));
    }
}
