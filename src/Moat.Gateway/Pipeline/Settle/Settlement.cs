using Moat.Core.Ledger;
using Moat.Core.Signals;
using Moat.Gateway.Parsing;
using Moat.Gateway.Pipeline.Limit;
using Moat.Gateway.Telemetry;
using Moat.Gateway.Tokens;

namespace Moat.Gateway.Pipeline.Settle;

/// <summary>What a call is charged, and where the numbers came from (<see cref="UsageSources"/>).</summary>
internal readonly record struct Charge(long PromptTokens, long CompletionTokens, string? Source)
{
    public static Charge None => new(0, 0, null);

    public long Total => PromptTokens + CompletionTokens;
}

/// <summary>
/// Settle: runs once per call. Reconciles the lease with what the call really cost, makes the ledger record durable
/// (the forwarder calls this before the last byte of an answer), and hands the served text to provenance and the
/// request's features to detection.
/// </summary>
internal sealed class Settlement(
    QuotaGate quota,
    ILedgerSink ledger,
    RefusalSummarizer refusals,
    IEnumerable<IServedOutputSink> servedSinks,
    IEnumerable<IRequestFeatureSink> featureSinks,
    TokenCounter tokens,
    TimeProvider time,
    GatewayMetrics metrics)
{
    /// <summary>Stored header values (User-Agent) are cut to this length: a client cannot bloat the ledger with them.</summary>
    public const int MaxStoredHeaderLength = 256;

    private readonly IServedOutputSink[] _servedSinks = [.. servedSinks];
    private readonly IRequestFeatureSink[] _featureSinks = [.. featureSinks];

    public async ValueTask SettleAsync(GatewayCall call)
    {
        if (!call.TryBeginSettlement())
        {
            return;
        }
        var outcome = call.Outcome.Kind == OutcomeKind.Pending ? CallOutcome.Failed : call.Outcome;
        using var span = GatewayTracing.StartStage("moat.settle");
        call.Activity?.SetTag("moat.decision", outcome.Kind.ToString());
        call.Activity?.SetTag("http.response.status_code", outcome.Status);
        var elapsed = time.GetElapsedTime(call.StartTimestamp).TotalMilliseconds;
        metrics.Request(call.Endpoint.Path(), outcome.Status, elapsed);
        if (call.Key is not { } key)
        {
            return;
        }
        var charge = ChargeOf(call, outcome);
        if (call.Lease is { } lease)
        {
            await quota.SettleAsync(lease, charge.Total).ConfigureAwait(false);
        }
        var model = call.Admitted?.Model.Id ?? call.Parsed?.Model;
        metrics.Tokens(model ?? "", charge.PromptTokens, charge.CompletionTokens);
        if (call.Activity is { } activity)
        {
            activity.SetTag("gen_ai.usage.input_tokens", charge.PromptTokens);
            activity.SetTag("gen_ai.usage.output_tokens", charge.CompletionTokens);
            activity.SetTag("moat.usage_source", charge.Source);
            if (call.Tap?.FinishReasons is { Count: > 0 } reasons)
            {
                activity.SetTag("gen_ai.response.finish_reasons", reasons.ToArray());
            }
        }
        var clientIp = ClientAddress.Of(call.Context);
        var userAgent = Truncate(call.Context.Request.Headers.UserAgent);
        var record = new UsageRecord
        {
            RequestId = call.RequestId,
            OrgId = key.OrgId,
            KeyId = key.KeyId,
            Endpoint = call.Endpoint.Path(),
            Model = model,
            Stream = call.Parsed?.Stream ?? false,
            PromptTokens = charge.PromptTokens,
            CompletionTokens = charge.CompletionTokens,
            UsageSource = charge.Source,
            Status = outcome.Status,
            ErrorCode = outcome.ErrorCode,
            Upstream = call.Upstream,
            LatencyMs = Math.Round(elapsed, 3),
            Timestamp = call.StartedAt,
            ClientIp = clientIp,
            UserAgent = userAgent,
        };
        if (outcome.Kind == OutcomeKind.Refused)
        {
            await refusals.RecordAsync(record).ConfigureAwait(false);
        }
        else
        {
            await ledger.WriteAsync(record).ConfigureAwait(false);
        }
        if (outcome.Produced && call.Tap is { } tap && call.Endpoint != ModelEndpoint.Embeddings && model is not null)
        {
            foreach (var text in tap.Texts)
            {
                foreach (var sink in _servedSinks)
                {
                    sink.Post(new ServedOutput(key.OrgId, key.KeyId, call.RequestId, model, call.StartedAt, text) { Prompt = call.Parsed?.PromptText });
                }
            }
        }
        if (call.Parsed is { } request && _featureSinks.Length > 0)
        {
            var features = new RequestFeatures
            {
                RequestId = call.RequestId,
                OrgId = key.OrgId,
                KeyId = key.KeyId,
                Model = request.Model,
                Endpoint = call.Endpoint.Path(),
                Timestamp = call.StartedAt,
                SystemPrompt = request.SystemPrompt,
                UserPrompt = request.LastUserPrompt,
                MessageCount = request.MessageCount,
                PriorUserPrompt = request.PriorUserPrompt,
                PriorReply = request.LastAssistantText,
                PriorReplyFingerprint = ReplyFingerprint.Of(request.LastAssistantText),
                ServedReplyFingerprint = outcome.Produced && call.Tap is { } served ? ReplyFingerprint.Of(served.FirstText) : 0,
                N = request.N,
                Temperature = request.Temperature,
                MaxTokens = request.RequestedCompletionTokens,
                Logprobs = request.Logprobs,
                Stream = request.Stream,
                PromptTokens = charge.PromptTokens,
                CompletionTokens = charge.CompletionTokens,
                Status = outcome.Status,
                ClientIp = clientIp,
                UserAgent = userAgent,
                TokensPerMinuteLimit = call.LimitStatus?.LimitTokens ?? 0,
                TokensRemaining = call.LimitStatus?.RemainingTokens ?? 0,
            };
            foreach (var sink in _featureSinks)
            {
                sink.Post(features);
            }
        }
    }

    /// <summary>
    /// The upstream's usage when it reported it; the reservation when a served answer came without usage (never a
    /// guess below it); what was relayed, counted, when the call broke off, was cancelled or the client left.
    /// </summary>
    private Charge ChargeOf(GatewayCall call, CallOutcome outcome)
    {
        if (!outcome.Produced || call.Tap is not { } tap || call.Admitted is not { } admitted)
        {
            return Charge.None;
        }
        if (tap.PromptTokens is { } prompt && tap.CompletionTokens is { } completion)
        {
            return new Charge(prompt, completion, UsageSources.Upstream);
        }
        if (outcome.Kind == OutcomeKind.Served)
        {
            return new Charge(admitted.Cost.PromptTokens, admitted.Cost.CompletionTokens, UsageSources.Reservation);
        }
        if (!tap.HasText)
        {
            return new Charge(admitted.Cost.PromptTokens, 0, UsageSources.Counted);
        }
        long counted = 0;
        foreach (var text in tap.Texts)
        {
            counted += tokens.Count(admitted.Model.Encoding, text);
        }
        return new Charge(admitted.Cost.PromptTokens, counted, UsageSources.Counted);
    }

    private static string? Truncate(string? value) =>
        value is { Length: > MaxStoredHeaderLength } ? value[..MaxStoredHeaderLength] : value;
}
