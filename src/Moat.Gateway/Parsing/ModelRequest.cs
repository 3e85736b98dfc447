namespace Moat.Gateway.Parsing;

/// <summary>What the gateway needs from a model API request body, read in one pass without a DOM.</summary>
public sealed class ModelRequest
{
    public required ModelEndpoint Endpoint { get; init; }
    public string Model { get; set; } = "";
    public bool Stream { get; set; }

    /// <summary>True when the body carries a stream_options object at all.</summary>
    public bool HasStreamOptions { get; set; }

    /// <summary>The client's own stream_options.include_usage (false when absent).</summary>
    public bool ClientIncludeUsage { get; set; }
    public int? MaxTokens { get; set; }
    public int N { get; set; } = 1;
    public double? Temperature { get; set; }
    public bool Logprobs { get; set; }

    /// <summary>All prompt text (message contents, completion prompts or embedding inputs) for token counting.</summary>
    public string PromptText { get; set; } = "";

    /// <summary>Token ids sent directly (completions/embeddings accept token arrays).</summary>
    public int PromptTokenIds { get; set; }
    public string? SystemPrompt { get; set; }
    public string? LastUserPrompt { get; set; }
    public int MessageCount { get; set; }
}
