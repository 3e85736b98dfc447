using Moat.Core.Errors;
using Moat.Gateway.Errors;

namespace Moat.Gateway.Pipeline;

/// <summary>How a model API call ended: decides what is charged and what the ledger says.</summary>
internal enum OutcomeKind
{
    /// <summary>Nothing decided yet (the call is still running).</summary>
    Pending,

    /// <summary>The upstream answered successfully and the whole answer was relayed.</summary>
    Served,

    /// <summary>The gateway refused the call before forwarding (auth, state, validation, quota).</summary>
    Refused,

    /// <summary>The upstream answered with a client error (4xx), relayed as it is.</summary>
    UpstreamRejected,

    /// <summary>No upstream could answer (refused, 5xx, timeout) before any byte reached the client.</summary>
    UpstreamFailed,

    /// <summary>The upstream broke off, or exceeded the size limit, after the answer had started.</summary>
    UpstreamInterrupted,

    /// <summary>The client went away.</summary>
    ClientClosed,

    /// <summary>An operator suspended or terminated the organisation, or revoked the key, while the call ran.</summary>
    Enforced,

    /// <summary>The gateway failed unexpectedly.</summary>
    Failed,
}

/// <summary>The outcome of a call: its kind, the HTTP status for the ledger and the error code, if any.</summary>
internal readonly record struct CallOutcome(OutcomeKind Kind, int Status, string? ErrorCode)
{
    public static CallOutcome Pending => new(OutcomeKind.Pending, 0, null);

    public static CallOutcome Served(int status) => new(OutcomeKind.Served, status, null);

    public static CallOutcome Refused(OpenAiError error) => new(OutcomeKind.Refused, error.Status, error.Code);

    public static CallOutcome UpstreamRejected(int status) => new(OutcomeKind.UpstreamRejected, status, "upstream_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static CallOutcome UpstreamFailed(OpenAiError error) => new(OutcomeKind.UpstreamFailed, error.Status, error.Code);

    public static CallOutcome UpstreamInterrupted => new(OutcomeKind.UpstreamInterrupted, 502, "upstream_interrupted");

    public static CallOutcome ClientClosed => new(OutcomeKind.ClientClosed, 499, "client_closed_request");

    public static CallOutcome Enforced(OpenAiError error) => new(OutcomeKind.Enforced, error.Status, error.Code);

    public static CallOutcome Failed => new(OutcomeKind.Failed, 500, "internal_error");

    /// <summary>True when the model produced output the client may have seen, so it is charged.</summary>
    public bool Produced => Kind is OutcomeKind.Served or OutcomeKind.UpstreamInterrupted or OutcomeKind.ClientClosed or OutcomeKind.Enforced;
}
