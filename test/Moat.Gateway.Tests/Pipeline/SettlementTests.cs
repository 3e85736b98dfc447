using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moat.Core.Access;
using Moat.Core.Errors;
using Moat.Core.Ledger;
using Moat.Core.Quotas;
using Moat.Core.Signals;
using Moat.Gateway.Errors;
using Moat.Gateway.Parsing;
using Moat.Gateway.Pipeline;
using Moat.Gateway.Pipeline.Forward;
using Moat.Gateway.Pipeline.Limit;
using Moat.Gateway.Pipeline.Settle;
using Moat.Gateway.Tokens;

namespace Moat.Gateway.Tests.Pipeline;

/// <summary>Settle on its own: what each outcome is charged, where the numbers come from, and that it runs once.</summary>
public sealed class SettlementTests
{
    private const long TokensPerMinute = 100_000;

    private const string WithUsage = """{"choices":[{"index":0,"message":{"content":"Hello"}}],"usage":{"prompt_tokens":9,"completion_tokens":1}}""";
    private const string WithoutUsage = """{"choices":[{"index":0,"message":{"content":"Hello"}}]}""";
    private const string RelayedText = "Hello world, this is what was relayed";

    private static readonly TokenCounter Tokens = new();

    private readonly FakeTimeProvider _clock = Stage.Clock();
    private readonly InProcessRateLimiter _limiter;
    private readonly QuotaGate _quota;
    private readonly RecordingLedger _ledger = new();
    private readonly RefusalSummarizer _refusals;
    private readonly ConcurrentQueue<ServedOutput> _served = new();
    private readonly ConcurrentQueue<RequestFeatures> _features = new();
    private readonly Settlement _settlement;
    private readonly KeyEntry _key = Stage.Key(orgLimits: new QuotaLimits(60, TokensPerMinute, null));

    public SettlementTests()
    {
        var metrics = Stage.Metrics();
        _limiter = new InProcessRateLimiter(_clock);
        _quota = new QuotaGate(_limiter, metrics, NullLogger<QuotaGate>.Instance);
        _refusals = new RefusalSummarizer(_ledger, _clock);
        _settlement = new Settlement(_quota, _ledger, _refusals, [new ServedSink(_served)], [new FeatureSink(_features)],
            Tokens, _clock, metrics);
    }

    /// <summary>A call that was admitted, got its lease, saw the given upstream JSON, and ended with <paramref name="outcome"/>.</summary>
    private async Task<GatewayCall> AdmittedCallAsync(CallOutcome outcome, string? userAgent = null, params string[] upstreamJson)
    {
        var call = Stage.Call(_key, Stage.Context(userAgent: userAgent), time: _clock);
        call.Admitted = Stage.Admit(key: _key);
        call.Parsed = call.Admitted.Request;
        call.Lease = await _quota.AcquireAsync(call, _key, call.Admitted.Cost.Total);
        Assert.NotNull(call.Lease);
        call.Tap = new CompletionTap(ModelEndpoint.ChatCompletions);
        foreach (var json in upstreamJson)
        {
            call.Tap.Observe(Encoding.UTF8.GetBytes(json));
        }
        call.Complete(outcome);
        return call;
    }

    private static GatewayCall RefusedCall(KeyEntry key, OpenAiError error)
    {
        var call = Stage.Call(key);
        call.Fail(CallOutcome.Refused(error), error);
        return call;
    }

    private async Task<long> RemainingTokensAsync() =>
        (await _limiter.PeekAsync(new RateLimitRequest(_key.OrgId, _key.OrgLimits, _key.KeyId, null, 0))).RemainingTokens;

    private static string Chunk(string text) => $$$"""{"choices":[{"index":0,"delta":{"content":"{{{text}}}"}}]}""";

    [Fact]
    public async Task SettleAsync_UpstreamReportedUsage_ChargedWithSourceUpstream()
    {
        var call = await AdmittedCallAsync(CallOutcome.Served(200), upstreamJson: WithUsage);

        await _settlement.SettleAsync(call);

        var record = Assert.Single(_ledger.Records);
        Assert.Equal((9, 1, UsageSources.Upstream), (record.PromptTokens, record.CompletionTokens, record.UsageSource));
        Assert.Equal((200, (string?)null, 1), (record.Status, record.ErrorCode, record.Attempts));
        Assert.Equal((call.RequestId, _key.OrgId, _key.KeyId, "m"), (record.RequestId, record.OrgId, record.KeyId, record.Model));
        Assert.Equal(ModelEndpoint.ChatCompletions.Path(), record.Endpoint);
        Assert.Equal(TokensPerMinute - 10, await RemainingTokensAsync()); // the lease settled with the charge
    }

    [Fact]
    public async Task SettleAsync_ServedWithoutUsage_ChargesTheReservation()
    {
        var call = await AdmittedCallAsync(CallOutcome.Served(200), upstreamJson: WithoutUsage);
        var cost = call.Admitted!.Cost;

        await _settlement.SettleAsync(call);

        var record = Assert.Single(_ledger.Records);
        Assert.Equal(UsageSources.Reservation, record.UsageSource);
        Assert.Equal(cost.PromptTokens, record.PromptTokens);
        Assert.Equal(50, record.CompletionTokens); // max_tokens of the request, never a guess below it
        Assert.Equal(TokensPerMinute - cost.Total, await RemainingTokensAsync());
    }

    public static TheoryData<string> BrokenOff => ["interrupted", "client-closed", "enforced"];

    private static CallOutcome Outcome(string name) => name switch
    {
        "interrupted" => CallOutcome.UpstreamInterrupted,
        "client-closed" => CallOutcome.ClientClosed,
        _ => CallOutcome.Enforced(ModelApiErrors.AccountSuspended()),
    };

    [Theory]
    [MemberData(nameof(BrokenOff))]
    public async Task SettleAsync_BrokenOffAfterText_PromptReservationPlusCountedText(string outcome)
    {
        var call = await AdmittedCallAsync(Outcome(outcome), upstreamJson: [Chunk("Hello world, "), Chunk("this is what was relayed")]);
        var counted = Tokens.Count("o200k_base", RelayedText);

        await _settlement.SettleAsync(call);

        var record = Assert.Single(_ledger.Records);
        Assert.Equal(UsageSources.Counted, record.UsageSource);
        Assert.Equal(call.Admitted!.Cost.PromptTokens, record.PromptTokens);
        Assert.Equal(counted, record.CompletionTokens);
        Assert.InRange(record.CompletionTokens, 1, 49);
        Assert.Equal(Outcome(outcome).Status, record.Status);
        Assert.Equal(Outcome(outcome).ErrorCode, record.ErrorCode);
        Assert.Equal(TokensPerMinute - call.Admitted.Cost.PromptTokens - counted, await RemainingTokensAsync());
    }

    [Fact]
    public async Task SettleAsync_BrokenOffBeforeAnyText_PromptReservationOnly()
    {
        var call = await AdmittedCallAsync(CallOutcome.UpstreamInterrupted);

        await _settlement.SettleAsync(call);

        var record = Assert.Single(_ledger.Records);
        Assert.Equal((call.Admitted!.Cost.PromptTokens, 0L, UsageSources.Counted), (record.PromptTokens, record.CompletionTokens, record.UsageSource));
    }

    [Fact]
    public async Task SettleAsync_BrokenOffAfterUsageArrived_UpstreamUsageWins()
    {
        var call = await AdmittedCallAsync(CallOutcome.ClientClosed, upstreamJson: [Chunk(RelayedText), """{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3}}"""]);

        await _settlement.SettleAsync(call);

        var record = Assert.Single(_ledger.Records);
        Assert.Equal((7, 3, UsageSources.Upstream), (record.PromptTokens, record.CompletionTokens, record.UsageSource));
    }

    [Fact]
    public async Task SettleAsync_UpstreamFailedOrRejected_NothingChargedAndLeaseRefunded()
    {
        var failed = await AdmittedCallAsync(CallOutcome.UpstreamFailed(ModelApiErrors.UpstreamTimeout()));
        var rejected = await AdmittedCallAsync(CallOutcome.UpstreamRejected(400), upstreamJson: WithUsage);

        await _settlement.SettleAsync(failed);
        await _settlement.SettleAsync(rejected);

        Assert.All(_ledger.Records, r => Assert.Equal((0L, 0L, (string?)null), (r.PromptTokens, r.CompletionTokens, r.UsageSource)));
        Assert.Equal([504, 400], _ledger.Records.Select(r => r.Status));
        Assert.Equal(TokensPerMinute, await RemainingTokensAsync());
        Assert.Empty(_served);
    }

    [Fact]
    public async Task SettleAsync_Refused_ChargedNothingAndSummarizedPerMinute()
    {
        var suspended = Stage.Key(state: OrgState.Suspended);

        await _settlement.SettleAsync(RefusedCall(suspended, ModelApiErrors.AccountSuspended()));
        await _settlement.SettleAsync(RefusedCall(suspended, ModelApiErrors.AccountSuspended()));
        await _settlement.SettleAsync(RefusedCall(suspended, ModelApiErrors.AccountSuspended()));

        var first = Assert.Single(_ledger.Records); // the other two wait in the minute's summary row
        Assert.Equal((403, "account_suspended", 0L, 0L, (string?)null), (first.Status, first.ErrorCode, first.PromptTokens, first.CompletionTokens, first.UsageSource));
        await _refusals.FlushAsync(long.MaxValue);
        Assert.Equal(2, _ledger.Records[1].Attempts);
    }

    [Fact]
    public async Task SettleAsync_CalledTwice_OneRecordAndTheLeaseSettledOnce()
    {
        var call = await AdmittedCallAsync(CallOutcome.Served(200), upstreamJson: WithUsage);

        await _settlement.SettleAsync(call);
        await _settlement.SettleAsync(call);

        Assert.Single(_ledger.Records);
        Assert.Single(_features);
        Assert.Equal(TokensPerMinute - 10, await RemainingTokensAsync());
    }

    [Fact]
    public async Task SettleAsync_OutcomeNeverSet_RecordedAsInternalError()
    {
        var call = await AdmittedCallAsync(CallOutcome.Pending, upstreamJson: WithUsage);

        await _settlement.SettleAsync(call);

        var record = Assert.Single(_ledger.Records);
        Assert.Equal((500, "internal_error", 0L), (record.Status, record.ErrorCode, record.PromptTokens + record.CompletionTokens));
    }

    [Fact]
    public async Task SettleAsync_UnknownKey_NothingRecorded()
    {
        var call = Stage.Call(key: null);
        call.Fail(CallOutcome.Refused(ModelApiErrors.InvalidApiKey()), ModelApiErrors.InvalidApiKey());

        await _settlement.SettleAsync(call);
        await _refusals.FlushAsync(long.MaxValue);

        Assert.Empty(_ledger.Records);
    }

    [Theory]
    [InlineData(1000, 256)]
    [InlineData(257, 256)]
    [InlineData(256, 256)]
    [InlineData(10, 10)]
    public async Task SettleAsync_UserAgent_StoredCutTo256(int length, int stored)
    {
        var userAgent = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + (i % 26))));
        var call = await AdmittedCallAsync(CallOutcome.Served(200), userAgent, WithUsage);

        await _settlement.SettleAsync(call);

        Assert.Equal(userAgent[..stored], Assert.Single(_ledger.Records).UserAgent);
        Assert.True(_features.TryDequeue(out var features));
        Assert.Equal(userAgent[..stored], features.UserAgent);
    }

    [Fact]
    public async Task SettleAsync_ServedText_HandedToProvenanceWithThePrompt()
    {
        var call = await AdmittedCallAsync(CallOutcome.Served(200), upstreamJson: WithUsage);

        await _settlement.SettleAsync(call);

        var served = Assert.Single(_served);
        Assert.Equal(("Hello", _key.OrgId, call.RequestId), (served.Text, served.OrgId, served.RequestId));
        Assert.Contains("Say hello to the world", served.Prompt);
    }

    [Fact]
    public async Task SettleAsync_Features_CarryTheServedReplysFingerprint_ForVerifiedConversations()
    {
        var call = await AdmittedCallAsync(CallOutcome.Served(200), upstreamJson: WithUsage);
        call.Parsed!.LastAssistantText = "Earlier  answer\n";
        call.Parsed.PriorUserPrompt = "Earlier question";

        await _settlement.SettleAsync(call);

        Assert.True(_features.TryDequeue(out var features));
        Assert.Equal(ReplyFingerprint.Of("Hello"), features.ServedReplyFingerprint);
        Assert.Equal(ReplyFingerprint.Of("Earlier answer"), features.PriorReplyFingerprint);
        Assert.Equal(("Earlier question", "Earlier  answer\n"), (features.PriorUserPrompt, features.PriorReply));
    }

    [Fact]
    public async Task SettleAsync_NothingServed_NoServedFingerprint()
    {
        var call = await AdmittedCallAsync(CallOutcome.UpstreamFailed(ModelApiErrors.UpstreamTimeout()));

        await _settlement.SettleAsync(call);

        Assert.True(_features.TryDequeue(out var features));
        Assert.Equal(0UL, features.ServedReplyFingerprint);
        Assert.Equal(0UL, features.PriorReplyFingerprint);
    }

    private sealed class ServedSink(ConcurrentQueue<ServedOutput> items) : IServedOutputSink
    {
        public void Post(ServedOutput output) => items.Enqueue(output);
    }

    private sealed class FeatureSink(ConcurrentQueue<RequestFeatures> items) : IRequestFeatureSink
    {
        public void Post(RequestFeatures features) => items.Enqueue(features);
    }
}
