namespace Moat.Gateway.Parsing;

/// <summary>What the gateway needs from a model API request body, read in one pass without a DOM.</summary>
public sealed class ModelRequest
{
    public required ModelEndpoint Endpoint { get; init; }
    public string Model { get; set; } = "";
    public bool Stream { get; set; }

    /// <summary>The client's own stream_options.include_usage (false when absent): decides whether the usage chunk is shown.</summary>
    public bool ClientIncludeUsage { get; set; }

    public int? MaxTokens { get; set; }
    public int? MaxCompletionTokens { get; set; }

    /// <summary>The completion budget the client asked for: the larger of max_tokens and max_completion_tokens.</summary>
    public int? RequestedCompletionTokens => MaxTokens is { } a && MaxCompletionTokens is { } b ? Math.Max(a, b) : MaxTokens ?? MaxCompletionTokens;

    public int N { get; set; } = 1;

    /// <summary>Completions' best_of: the upstream generates this many candidates per prompt.</summary>
    public int? BestOf { get; set; }

    /// <summary>How many prompts a completions request carries (an array of prompts is one generation each).</summary>
    public int PromptCount { get; set; } = 1;

    public double? Temperature { get; set; }
    public bool Logprobs { get; set; }

    /// <summary>All prompt text (message contents, completion prompts or embedding inputs) for provenance and detection.</summary>
    public string PromptText { get; set; } = "";

    /// <summary>
    /// Bytes of everything the upstream counts as prompt: every text part, tool and function definitions, tool calls
    /// and names in messages, prompts and inputs (as escaped in the JSON, an upper bound of the text).
    /// </summary>
    public long PromptBytes { get; set; }

    /// <summary>Non-text content parts (images, audio, files): charged a fixed allowance each.</summary>
    public int MediaParts { get; set; }

    /// <summary>True when a content part points at a URL the model server would fetch (anything but a data: URL).</summary>
    public bool HasRemoteMedia { get; set; }

    /// <summary>Token ids sent directly (completions/embeddings accept token arrays).</summary>
    public int PromptTokenIds { get; set; }
    public string? SystemPrompt { get; set; }
    public string? LastUserPrompt { get; set; }

    /// <summary>The user message before <see cref="LastUserPrompt"/>, if any.</summary>
    public string? PriorUserPrompt { get; set; }

    /// <summary>The text of the last assistant turn with text (what the client says it was served).</summary>
    public string? LastAssistantText { get; set; }
    public int MessageCount { get; set; }

    /// <summary>Top-level parameters outside the endpoint's allow-list; null when there are none (the usual case).</summary>
    public List<string>? UnknownParameters { get; set; }

    /// <summary>Where the top-level "model" value sits in the body (for renaming by splicing).</summary>
    public BodyRange ModelValue { get; set; }

    /// <summary>Where the top-level "stream_options" value sits in the body, if present (the gateway replaces it).</summary>
    public BodyRange StreamOptionsValue { get; set; }
}

/// <summary>A byte range of the request body.</summary>
public readonly record struct BodyRange(int Start, int Length)
{
    public bool IsEmpty => Length == 0;
    public int End => Start + Length;
}
