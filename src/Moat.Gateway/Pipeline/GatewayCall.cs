using Microsoft.AspNetCore.Http;
using Moat.Core.Access;
using Moat.Core.Errors;
using Moat.Core.Quotas;
using Moat.Gateway.Errors;
using Moat.Gateway.Parsing;
using Moat.Gateway.Pipeline.Admit;
using Moat.Gateway.Pipeline.Forward;

namespace Moat.Gateway.Pipeline;

/// <summary>
/// One model API call as the stages see it. Each stage writes its own result once (the key, the admitted request,
/// the lease, the relay's tap) and the outcome is set exactly once by whichever stage ends the call.
/// </summary>
internal sealed class GatewayCall(HttpContext context, ModelEndpoint endpoint, string requestId, DateTimeOffset startedAt, long startTimestamp)
{
    private int _settled;

    public HttpContext Context { get; } = context;
    public ModelEndpoint Endpoint { get; } = endpoint;
    public string RequestId { get; } = requestId;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public long StartTimestamp { get; } = startTimestamp;

    /// <summary>Authenticate's result: the key the secret belongs to (also when the organisation is refused).</summary>
    public KeyEntry? Key { get; set; }

    /// <summary>The parsed body (also for refused requests, for detection).</summary>
    public ModelRequest? Parsed { get; set; }

    /// <summary>Admit's result.</summary>
    public AdmittedRequest? Admitted { get; set; }

    /// <summary>Limit's result.</summary>
    public RateLimitLease? Lease { get; set; }

    public RateLimitStatus? LimitStatus { get; set; }

    /// <summary>Forward's result: which upstream answered and what it said.</summary>
    public string? Upstream { get; set; }

    public CompletionTap? Tap { get; set; }

    public CallOutcome Outcome { get; private set; } = CallOutcome.Pending;

    /// <summary>The call's span when tracing is on.</summary>
    public System.Diagnostics.Activity? Activity { get; set; }

    /// <summary>Set when enforcement (suspension, termination, revocation) cancelled the call while it ran.</summary>
    public OpenAiError? EnforcedBy { get; set; }

    /// <summary>Sets the outcome unless one is already set (the first stage to end the call decides).</summary>
    public void Complete(CallOutcome outcome)
    {
        if (Outcome.Kind == OutcomeKind.Pending)
        {
            Outcome = outcome;
        }
    }

    /// <summary>The error answer, written after settlement so the ledger holds the call before the client sees the answer.</summary>
    public OpenAiError? PendingError { get; private set; }

    public TimeSpan? RetryAfter { get; private set; }

    /// <summary>Ends the call with an error answer (unless an outcome is already set).</summary>
    public void Fail(CallOutcome outcome, OpenAiError error, TimeSpan? retryAfter = null)
    {
        if (Outcome.Kind == OutcomeKind.Pending)
        {
            Outcome = outcome;
            PendingError = error;
            RetryAfter = retryAfter;
        }
    }

    /// <summary>True the first time only: settlement happens once, before the last byte or after a failure.</summary>
    public bool TryBeginSettlement() => Interlocked.Exchange(ref _settled, 1) == 0;
}
