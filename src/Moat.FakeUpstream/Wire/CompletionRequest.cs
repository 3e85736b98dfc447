namespace Moat.FakeUpstream.Wire;

/// <summary>Which OpenAI completion wire format a request came in on.</summary>
internal enum CompletionFlavor
{
    /// <summary><c>/v1/chat/completions</c>.</summary>
    Chat,

    /// <summary>Legacy <c>/v1/completions</c>.</summary>
    Text,
}

/// <summary>
/// One prompt to answer: its stable hash (model + content), the text whose tokens are the
/// prompt's usage, the exact token count when the client sent token ids, and the text a replay
/// record must match.
/// </summary>
internal readonly record struct PromptInput(ulong Hash, string Text, int? KnownTokens, string? ReplayKey);

/// <summary>The parts of a chat or legacy completion request the fake server acts on.</summary>
internal sealed class CompletionRequest
{
    public required CompletionFlavor Flavor { get; init; }

    public required string Model { get; init; }

    /// <summary>One for chat; one per entry of a legacy <c>prompt</c> array.</summary>
    public required List<PromptInput> Prompts { get; init; }

    public int N { get; init; } = 1;

    public int? MaxTokens { get; init; }

    public bool Stream { get; init; }

    public bool IncludeUsage { get; init; }
}

/// <summary>Why a request body was rejected: message and the offending parameter.</summary>
internal sealed record RequestProblem(string Message, string? Param);
