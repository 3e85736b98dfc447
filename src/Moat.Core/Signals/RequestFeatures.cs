namespace Moat.Core.Signals;

/// <summary>
/// What the detection engine learns from one request. Raw text is handed over for sketching and must not be
/// persisted by consumers (only fingerprints, counters and sketches are kept).
/// </summary>
public sealed record RequestFeatures
{
    public required string RequestId { get; init; }
    public required string OrgId { get; init; }
    public required string KeyId { get; init; }
    public required string Model { get; init; }
    public required string Endpoint { get; init; }
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The system prompt, if any.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>The last user message (or the completion prompt).</summary>
    public string? UserPrompt { get; init; }

    public int MessageCount { get; init; }

    /// <summary>The user message before the last one, if the request carries earlier turns (follow-up relevance).</summary>
    public string? PriorUserPrompt { get; init; }

    /// <summary>The text of the last assistant turn the request carries (follow-up relevance; never stored).</summary>
    public string? PriorReply { get; init; }

    /// <summary><see cref="ReplyFingerprint"/> of the last assistant turn the request carries (0: none with text).</summary>
    public ulong PriorReplyFingerprint { get; init; }

    /// <summary><see cref="ReplyFingerprint"/> of the text served (the first choice; 0: nothing served).</summary>
    public ulong ServedReplyFingerprint { get; init; }
    public int N { get; init; } = 1;
    public double? Temperature { get; init; }
    public int? MaxTokens { get; init; }
    public bool Logprobs { get; init; }
    public bool Stream { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public int Status { get; init; }
    public string? ClientIp { get; init; }
    public string? UserAgent { get; init; }

    /// <summary>The org's token-per-minute limit and how much of it remained after admission (quota saturation).</summary>
    public long TokensPerMinuteLimit { get; init; }
    public long TokensRemaining { get; init; }
}

/// <summary>Receives request features off the hot path. Must never block: drop and count when saturated.</summary>
public interface IRequestFeatureSink
{
    void Post(RequestFeatures features);
}

/// <summary>A completion served to a customer, handed to the provenance indexer (fingerprinted, never stored raw).</summary>
public sealed record ServedOutput(string OrgId, string KeyId, string RequestId, string Model, DateTimeOffset ServedAt, string Text)
{
    /// <summary>The request's prompt text: output words copied from it are not evidence of provenance. Never stored.</summary>
    public string? Prompt { get; init; }
}

/// <summary>Receives served outputs off the hot path. Must never block.</summary>
public interface IServedOutputSink
{
    void Post(ServedOutput output);
}
