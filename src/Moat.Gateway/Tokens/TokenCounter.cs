using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace Moat.Gateway.Tokens;

/// <summary>Counts tokens with the model's tiktoken encoding; tokenizers are built once per encoding.</summary>
public sealed class TokenCounter
{
    private readonly ConcurrentDictionary<string, Tokenizer> _tokenizers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per-message overhead of the chat format (role markers), as OpenAI's counting guide gives it.</summary>
    public const int ChatMessageOverhead = 3;

    /// <summary>
    /// Longest run without whitespace handed to the tokenizer in one piece. BPE merging is quadratic in the length of a
    /// pre-token, so one 2 MB "word" (from a hostile client or upstream) would pin a core for minutes; longer runs are
    /// counted in slices of this size, which over-counts by at most a token per slice.
    /// </summary>
    internal const int MaxRun = 1024;

    public int Count(string encoding, string text)
    {
        if (text.Length == 0)
        {
            return 0;
        }
        // One pass: ordinary text never reaches MaxRun and is counted whole by the final call.
        var tokenizer = Get(encoding);
        var total = 0;
        var start = 0;
        var run = 0;
        for (var i = 0; i < text.Length; i++)
        {
            run = char.IsWhiteSpace(text[i]) ? 0 : run + 1;
            if (run == MaxRun)
            {
                total += tokenizer.CountTokens(text.AsSpan(start, i + 1 - start));
                start = i + 1;
                run = 0;
            }
        }
        return total + (start < text.Length ? tokenizer.CountTokens(text.AsSpan(start)) : 0);
    }

    /// <summary>Prompt tokens of a chat request: content tokens plus the format overhead per message and for the reply priming.</summary>
    public int CountChat(string encoding, string joinedContent, int messageCount) =>
        Count(encoding, joinedContent) + (ChatMessageOverhead * messageCount) + ChatMessageOverhead;

    /// <summary>Builds the tokenizer now so the first request does not pay for it.</summary>
    public void Warm(string encoding) => Get(encoding);

    private Tokenizer Get(string encoding) => _tokenizers.GetOrAdd(encoding, static name =>
        TiktokenTokenizer.CreateForEncoding(name.ToLowerInvariant() switch
        {
            "cl100k_base" or "cl100k" => "cl100k_base",
            _ => "o200k_base",
        }));
}
