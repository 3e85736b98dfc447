using Microsoft.ML.Tokenizers;

namespace Moat.FakeUpstream.Text;

/// <summary>Counts and truncates by o200k_base tokens, the encoding of current OpenAI models.</summary>
internal sealed class TokenCounter
{
    // Static: the vocabulary is the same for every host in the process, and loading it takes hundreds of milliseconds.
    private static readonly Lazy<TiktokenTokenizer> _tokenizer =
        new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"), LazyThreadSafetyMode.ExecutionAndPublication);

    public int Count(string text) => text.Length == 0 ? 0 : _tokenizer.Value.CountTokens(text);

    public string Decode(IEnumerable<int> tokens) => _tokenizer.Value.Decode(tokens);

    /// <summary>The longest prefix of <paramref name="text"/> holding at most <paramref name="maxTokens"/> tokens.</summary>
    public string Truncate(string text, int maxTokens)
    {
        if (maxTokens <= 0)
        {
            return string.Empty;
        }

        var index = _tokenizer.Value.GetIndexByTokenCount(text, maxTokens, out _, out _);
        return text[..index];
    }

    /// <summary>Forces the vocabulary load, so the first request does not pay for it.</summary>
    public static void Warm() => _ = _tokenizer.Value;
}
