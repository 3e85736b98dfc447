namespace Moat.Simulation.Transport;

/// <summary>
/// One chat message of an OpenAI chat/completions request. An assistant turn may stand for the reply to an earlier
/// request (<see cref="ReplyTo"/>): its text is what that request was served, read when this message is sent — tenants
/// that generate overlapping sessions ahead of time still send back what the gateway answered.
/// </summary>
public sealed record ChatMessage(string Role, string Content)
{
    public SimulatedRequest? ReplyTo { get; init; }

    /// <summary>The text to send: the served reply when there is one, else <see cref="Content"/>.</summary>
    public string Text => ReplyTo?.Reply ?? Content;
}

/// <summary>The OpenAI chat/completions body a simulated tenant sends.</summary>
public sealed record ChatCompletionRequest
{
    public required string Model { get; init; }
    public required IReadOnlyList<ChatMessage> Messages { get; init; }
    public int N { get; init; } = 1;
    public double? Temperature { get; init; }
    public int? MaxTokens { get; init; }
    public bool Logprobs { get; init; }
    public bool Stream { get; init; }
}

/// <summary>A request from a simulated tenant, with who sends it, from where and when (virtual time).</summary>
public sealed record SimulatedRequest
{
    public required string TenantId { get; init; }
    public required string OrgId { get; init; }
    public required string KeyId { get; init; }

    /// <summary>The bearer secret (HTTP transport); the in-process transport uses the ids.</summary>
    public required string ApiKey { get; init; }
    public required string ClientIp { get; init; }
    public required string UserAgent { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required ChatCompletionRequest Body { get; init; }

    /// <summary>The org's token-per-minute limit in this simulation (the HTTP transport gets it from the gateway's tiers).</summary>
    public long TokensPerMinuteLimit { get; init; }

    /// <summary>
    /// The text the gateway served for this request (set by the transport once it is answered; null when refused). A real
    /// client continuing a conversation sends it back as the assistant turn.
    /// </summary>
    public string? Reply { get; set; }
}

/// <summary>What the transport reports back.</summary>
public sealed record SimulatedResponse(int Status, long PromptTokens, long CompletionTokens, string? ErrorCode = null);

/// <summary>Sends simulated requests: in-process into the detection engine, or over HTTP to a real gateway.</summary>
public interface ISimulationTransport
{
    Task<SimulatedResponse> SendAsync(SimulatedRequest request, CancellationToken cancellationToken);
}

/// <summary>An organisation's current and peak risk score as the system under test reports it.</summary>
public sealed record RiskReading(string OrgId, double Score, double PeakScore);

/// <summary>Reads risk scores (in-process from the scorer; over HTTP from GET /admin/v1/risk/{org_id}).</summary>
public interface IRiskReader
{
    Task<RiskReading?> ReadAsync(string orgId, CancellationToken cancellationToken);
}
