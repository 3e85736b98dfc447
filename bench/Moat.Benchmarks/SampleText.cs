using System.Text;

namespace Moat.Benchmarks;

/// <summary>Deterministic English-like text and request bodies, so every run measures the same bytes.</summary>
internal static class SampleText
{
    private static readonly string[] Words =
    [
        "the", "model", "answer", "question", "please", "explain", "how", "a", "reverse", "proxy", "works", "and",
        "why", "latency", "matters", "for", "customers", "who", "stream", "tokens", "from", "large", "language",
        "models", "in", "production", "with", "quotas", "limits", "requests", "per", "minute", "gateway", "keeps",
        "track", "of", "usage", "each", "organisation", "key", "write", "short", "summary", "about", "history",
        "Europe", "during", "nineteenth", "century", "including", "trade", "industry", "railways", "cities", "grew",
        "quickly", "workers", "moved", "countryside", "factories", "steam", "engines", "changed", "everything",
        "translate", "following", "sentence", "into", "French", "German", "Spanish", "Italian", "customer", "support",
        "ticket", "refund", "order", "delivery", "late", "sorry", "inconvenience", "step", "by", "reasoning",
        "carefully", "before", "final", "result", "list", "three", "examples", "code", "function", "returns", "value",
    ];

    /// <summary><paramref name="count"/> words picked by a fixed pseudo-random sequence from <paramref name="seed"/>.</summary>
    public static string WordsOf(int count, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder(count * 7);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                text.Append(i % 17 == 0 ? ". " : " ");
            }
            text.Append(Words[random.Next(Words.Length)]);
        }
        return text.Append('.').ToString();
    }

    /// <summary>A one-message chat completion body (~100 bytes).</summary>
    public static byte[] SmallChatBody() =>
        """{"model":"fake-model","messages":[{"role":"user","content":"Hello! How are you today?"}]}"""u8.ToArray();

    /// <summary>A multi-turn chat completion body of about <paramref name="bytes"/> bytes with the usual parameters.</summary>
    public static byte[] ChatBody(int bytes, bool stream = false)
    {
        var body = new StringBuilder(bytes + 256);
        body.Append("""{"model":"fake-model","temperature":0.7,"max_tokens":256,"top_p":1,""");
        body.Append(stream ? "\"stream\":true," : "\"stream\":false,");
        body.Append("\"messages\":[");
        body.Append("""{"role":"system","content":"You are a helpful assistant. Answer briefly and accurately."}""");
        var turn = 0;
        while (body.Length < bytes - 40)
        {
            var role = turn % 2 == 0 ? "user" : "assistant";
            var words = Math.Clamp((bytes - body.Length - 40) / 7, 5, 60);
            body.Append(",{\"role\":\"").Append(role).Append("\",\"content\":\"").Append(WordsOf(words, turn)).Append("\"}");
            turn++;
        }
        body.Append("]}");
        return Encoding.UTF8.GetBytes(body.ToString());
    }
}
