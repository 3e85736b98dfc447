using Moat.Core.Access;
using Moat.Core.Models;
using Moat.Core.Quotas;
using Moat.Gateway.Parsing;

namespace Moat.Gateway.Pipeline;

/// <summary>The state of one model API request as it moves through the stages.</summary>
internal sealed class GatewayCall(string requestId, ModelEndpoint endpoint, DateTimeOffset startedAt, long startTimestamp)
{
    public string RequestId { get; } = requestId;
    public ModelEndpoint Endpoint { get; } = endpoint;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public long StartTimestamp { get; } = startTimestamp;

    public KeyEntry? Key { get; set; }
    public ModelRequest? Request { get; set; }
    public ModelOptions? Model { get; set; }
    public RateLimitLease? Lease { get; set; }
    public RateLimitStatus? LimitStatus { get; set; }
    public CompletionTap? Tap { get; set; }

    /// <summary>Prompt tokens counted by the gateway before forwarding.</summary>
    public long EstimatedPromptTokens { get; set; }

    public int Status { get; set; } = 200;
    public string? ErrorCode { get; set; }
    public string? Upstream { get; set; }
}
