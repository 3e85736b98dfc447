using Moat.Core.Access;
using Moat.Gateway.Parsing;
using Moat.Gateway.Tokens;

namespace Moat.Gateway.Pipeline.Admit;

/// <summary>
/// The worst case a request can cost, computed in one place: prompt tokens over everything the upstream counts
/// (all text, tools and functions, tool calls, an allowance per media part, token ids) for each prompt, and the
/// completion budget (the larger of max_tokens / max_completion_tokens, else the tier default) for every choice the
/// upstream generates (n, best_of, one generation per prompt). This is what the limiter reserves and, when the
/// upstream reports no usage, what the ledger charges.
/// </summary>
internal readonly record struct RequestCost(long PromptTokens, long CompletionTokens, int CompletionBudget)
{
    public long Total => PromptTokens + CompletionTokens;

    public static RequestCost Of(ModelRequest request, KeyEntry key, GatewayOptions options)
    {
        // Every token is at least one byte of text, and real text runs 3–5 bytes a token: the estimate reserves on the
        // cautious side, the upstream's own count settles it.
        var textTokens = (request.PromptBytes + options.ReservationBytesPerToken - 1) / options.ReservationBytesPerToken;
        var prompt = textTokens + request.PromptTokenIds + ((long)request.MediaParts * options.TokensPerMediaPart);
        if (request.Endpoint == ModelEndpoint.ChatCompletions)
        {
            prompt += ((long)TokenCounter.ChatMessageOverhead * request.MessageCount) + TokenCounter.ChatMessageOverhead;
        }
        if (request.Endpoint == ModelEndpoint.Embeddings)
        {
            return new RequestCost(prompt, 0, 0);
        }
        var budget = request.RequestedCompletionTokens ?? key.DefaultMaxTokens;
        var choicesPerPrompt = Math.Max(request.N, request.BestOf ?? 1);
        var completion = (long)budget * choicesPerPrompt * Math.Max(1, request.PromptCount);
        return new RequestCost(prompt, completion, budget);
    }
}
