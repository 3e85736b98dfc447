namespace Moat.Provenance.Tests;

/// <summary>Builders for served records and for the desensitising a leaker applies.</summary>
public static class TestData
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static ServedText Served(string text, int account, int request, DateTimeOffset? at = null) =>
        new($"org_{account:D3}", $"key_{account:D3}_a", $"req_{account:D3}_{request:D5}", "gpt-test", at ?? Start, text);

    /// <summary>Markdown stripped, everything lower-cased and re-wrapped at 50 columns.</summary>
    public static string Reformat(string text)
    {
        var words = text.Replace("**", "", StringComparison.Ordinal).Replace("#", "", StringComparison.Ordinal)
            .Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var lines = new List<string>();
        var line = "";
        foreach (var w in words)
        {
            if (line.Length + w.Length > 50) { lines.Add(line); line = ""; }
            line = line.Length == 0 ? w : line + " " + w;
        }

        lines.Add(line);
        return string.Join("\n", lines).ToLowerInvariant();
    }

    /// <summary>Capitalised words inside sentences and all numbers become [REDACTED].</summary>
    public static string Scrub(string text)
    {
        var noNumbers = System.Text.RegularExpressions.Regex.Replace(text, @"\d+([.,]\d+)*", "[REDACTED]");
        return System.Text.RegularExpressions.Regex.Replace(noNumbers, @"(?<=[a-z,;]\s+)[A-Z][a-z]+", "[REDACTED]");
    }

    /// <summary>Deletes or replaces a share of the words, deterministically.</summary>
    public static string Edit(string text, double share, int seed)
    {
        var random = new Random(seed);
        string[] replacements = ["notable", "various", "several", "important", "common", "large", "useful", "known", "major", "typical"];
        var result = new List<string>();
        foreach (var w in text.Split(' '))
        {
            if (random.NextDouble() >= share) result.Add(w);
            else if (random.Next(2) == 0) result.Add(replacements[random.Next(replacements.Length)]);
        }

        return string.Join(' ', result);
    }
}
