using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Core.Errors;
using Moat.Gateway.Errors;
using Moat.Gateway.Parsing;
using Moat.Gateway.Pipeline.Admit;
using Moat.Gateway.Pipeline.Authenticate;
using Moat.Gateway.Pipeline.Forward;
using Moat.Gateway.Pipeline.Limit;
using Moat.Gateway.Pipeline.Settle;
using Moat.Gateway.Telemetry;

namespace Moat.Gateway.Pipeline;

/// <summary>
/// The request path of the model API as a composition of its stages:
/// Authenticate → read the body → Admit → Limit → Forward (settling before the last byte) → Settle.
/// Every stage is in memory; the ledger, provenance and detection hand-offs are bounded channels behind Settle.
/// </summary>
internal sealed class ModelApiHandler(
    BearerAuthenticator authenticator,
    Admission admission,
    QuotaGate quota,
    UpstreamForwarder forwarder,
    Settlement settlement,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<ModelApiHandler> logger)
{
    private readonly GatewayOptions _options = options.Value;
    private readonly Func<GatewayCall, ValueTask> _settle = settlement.SettleAsync;

    /// <summary>Handles POST /v1/chat/completions, /v1/completions and /v1/embeddings.</summary>
    public Task HandleAsync(HttpContext context, ModelEndpoint endpoint) => RunAsync(context, endpoint, ForwardStagesAsync);

    /// <summary>Runs one call: request id, the stages, the outcome of any failure, and settlement exactly once.</summary>
    internal async Task RunAsync(HttpContext context, ModelEndpoint endpoint, Func<GatewayCall, Task> stages)
    {
        using var activity = GatewayTracing.StartCall(endpoint);
        var startedAt = time.GetUtcNow();
        var call = new GatewayCall(context, endpoint, RequestIds.Next(startedAt), startedAt, time.GetTimestamp()) { Activity = activity };
        context.Response.Headers["x-request-id"] = call.RequestId;
        activity?.SetTag("moat.request_id", call.RequestId);
        try
        {
            await stages(call).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            call.Complete(CallOutcome.ClientClosed);
        }
        catch (Exception ex)
        {
            GatewayLog.Unhandled(logger, call.RequestId, ex);
            call.Fail(CallOutcome.Failed, OpenAiError.Internal());
            if (context.Response.HasStarted)
            {
                context.Abort();
            }
        }
        // Settle first: the ledger holds the call before the client holds its answer, errors included.
        await settlement.SettleAsync(call).ConfigureAwait(false);
        if (call.PendingError is { } error && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            await OpenAiErrorWriter.WriteAsync(context, error, call.RetryAfter).ConfigureAwait(false);
        }
    }

    /// <summary>Authenticate; refusals of a known key still cost a request. Returns false when the call ended.</summary>
    internal async Task<bool> AuthenticateAsync(GatewayCall call)
    {
        Authentication authentication;
        using (GatewayTracing.StartStage("moat.authenticate"))
        {
            authentication = authenticator.Authenticate(call.Context.Request, call.StartedAt);
        }
        call.Key = authentication.Key;
        call.Activity?.SetTag("moat.org_id", authentication.Key?.OrgId);
        if (authentication.Succeeded)
        {
            return true;
        }
        if (authentication.Key is { } key)
        {
            await quota.RefuseAsync(call, key, authentication.Refusal!).ConfigureAwait(false);
        }
        else
        {
            call.Fail(CallOutcome.Refused(authentication.Refusal!), authentication.Refusal!);
        }
        return false;
    }

    private async Task ForwardStagesAsync(GatewayCall call)
    {
        if (!await AuthenticateAsync(call).ConfigureAwait(false))
        {
            return;
        }
        var key = call.Key!;
        var (body, readError) = await RequestBody.ReadAsync(call.Context, _options.MaxBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            await quota.RefuseAsync(call, key, readError!).ConfigureAwait(false);
            return;
        }
        using (body)
        {
            AdmittedRequest? admitted;
            ModelRequest? parsed;
            OpenAiError? refusal;
            using (GatewayTracing.StartStage("moat.admit"))
            {
                (admitted, parsed, refusal) = admission.Admit(body.Span, call.Endpoint, key);
            }
            call.Parsed = parsed;
            call.Activity?.SetTag("gen_ai.request.model", parsed?.Model);
            if (admitted is null)
            {
                await quota.RefuseAsync(call, key, refusal!).ConfigureAwait(false);
                return;
            }
            call.Admitted = admitted;
            using (GatewayTracing.StartStage("moat.limit"))
            {
                call.Lease = await quota.AcquireAsync(call, key, admitted.Cost.Total).ConfigureAwait(false);
            }
            if (call.Lease is null)
            {
                return;
            }
            var upstreamBody = UpstreamRequestBody.Build(body.Memory, admitted);
            await forwarder.ForwardAsync(call, admitted, upstreamBody, _settle).ConfigureAwait(false);
        }
    }
}
