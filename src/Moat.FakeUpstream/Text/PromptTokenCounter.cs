namespace Moat.FakeUpstream.Text;

/// <summary>Prompt token counts memoised by prompt hash: benchmarks resend the same prompts, and tokenising is the costliest step left.</summary>
internal sealed class PromptTokenCounter(TokenCounter tokens)
{
    private readonly BoundedMemo<ulong, int> _counts = new(16384);

    public int Count(ulong promptHash, string text) =>
        _counts.GetOrAdd(promptHash, (tokens, text), static (_, s) => s.tokens.Count(s.text));
}
