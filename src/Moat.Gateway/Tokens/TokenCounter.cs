using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace Moat.Gateway.Tokens;

/// <summary>Counts tokens with the model's tiktoken encoding; tokenizers are built once per encoding.</summary>
public sealed class TokenCounter
{
    private readonly ConcurrentDictionary<string, Tokenizer> _tokenizers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per-message overhead of the chat format (role markers), as OpenAI's counting guide gives it.</summary>
    public const int ChatMessageOverhead = 3;

    public int Count(string encoding, string text)
    {
        if (text.Length == 0)
        {
            return 0;
        }
        return Get(encoding).CountTokens(text);
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
