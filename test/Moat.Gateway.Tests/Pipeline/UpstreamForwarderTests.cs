using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moat.Core.Access;
using Moat.Core.Changes;
using Moat.Core.Models;
using Moat.Gateway.Pipeline;
using Moat.Gateway.Pipeline.Enforcement;
using Moat.Gateway.Pipeline.Forward;
using Moat.Gateway.Upstreams;

namespace Moat.Gateway.Tests.Pipeline;

/// <summary>Forward on its own, against model servers on loopback sockets.</summary>
public sealed class UpstreamForwarderTests
{
    private const string Answer = """{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10}}""";

    private const string StreamBody = """{"model":"m","stream":true,"max_tokens":50,"messages":[{"role":"user","content":"Say hello"}]}""";

    private const string FirstChunk = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>A forwarder wired to real selector, client and in-flight registry; records what settlement saw.</summary>
    private sealed class Harness : IDisposable
    {
        private readonly UpstreamHttpClient _client;

        public Harness(ModelCatalogOptions catalog, Action<GatewayOptions>? configure = null)
        {
            var options = new GatewayOptions();
            configure?.Invoke(options);
            Keys = new FakeKeyDirectory(Key);
            InFlight = new InFlightCalls(Feed, Keys, TimeProvider.System, NullLogger<InFlightCalls>.Instance);
            InFlight.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
            _client = new UpstreamHttpClient(Options.Create(options));
            Forwarder = new UpstreamForwarder(
                new UpstreamSelector(Options.Create(catalog), Options.Create(options), TimeProvider.System),
                _client, InFlight, options, Stage.Metrics(), NullLogger<UpstreamForwarder>.Instance);
        }

        public KeyEntry Key { get; } = Stage.Key();
        public FakeKeyDirectory Keys { get; }
        public FakeChangeFeed Feed { get; } = new();
        public InFlightCalls InFlight { get; }
        public UpstreamForwarder Forwarder { get; }

        /// <summary>What the client had received, and the outcome, each time settlement ran.</summary>
        public List<(string Body, OutcomeKind Outcome)> Settlements { get; } = [];

        public GatewayCall NewCall(HttpContext? context = null) => Stage.Call(Key, context ?? Stage.Context());

        public async Task<GatewayCall> ForwardAsync(string json = Stage.ChatBody, GatewayCall? call = null)
        {
            call ??= NewCall();
            var admitted = Stage.Admit(json, Key);
            await Forwarder.ForwardAsync(call, admitted, Encoding.UTF8.GetBytes(json), c =>
            {
                Settlements.Add((Stage.ResponseText(c.Context), c.Outcome.Kind));
                return ValueTask.CompletedTask;
            });
            return call;
        }

        public void Dispose() => _client.Dispose();
    }

    private static ModelCatalogOptions FirstThen(string first, string second) =>
        Stage.WeightedCatalog((first, 1_000_000), (second, 1)); // weighted so the first is tried first (1 in a million otherwise)

    [Fact]
    public async Task ForwardAsync_BufferedAnswer_SettledBeforeTheBodyIsWritten()
    {
        await using var upstream = await FakeModelServer.StartAsync(c => FakeModelServer.Json(c, Answer));
        using var harness = new Harness(Stage.Catalog(upstream.BaseUrl));

        var call = await harness.ForwardAsync();

        var (bodyAtSettlement, outcomeAtSettlement) = Assert.Single(harness.Settlements);
        Assert.Equal("", bodyAtSettlement);
        Assert.Equal(OutcomeKind.Served, outcomeAtSettlement);
        Assert.Equal(Answer, Stage.ResponseText(call.Context));
        Assert.Equal(200, call.Context.Response.StatusCode);
        Assert.Equal(Answer.Length, call.Context.Response.ContentLength);
        Assert.Equal(9, call.Tap!.PromptTokens);
        Assert.Equal(upstream.Name, call.Upstream);
        Assert.Equal(0, harness.InFlight.Count);
    }

    [Fact]
    public async Task ForwardAsync_Request_CarriesRequestIdAndUpstreamKey()
    {
        await using var upstream = await FakeModelServer.StartAsync(c => FakeModelServer.Json(c, Answer));
        using var harness = new Harness(Stage.Catalog(upstream.BaseUrl));

        var call = await harness.ForwardAsync();

        Assert.True(upstream.Requests.TryDequeue(out var headers));
        Assert.Equal(call.RequestId, headers["x-request-id"].ToString());
        Assert.Equal("Bearer upstream-key", headers.Authorization.ToString());
        Assert.StartsWith("application/json", headers.ContentType.ToString());
    }

    [Fact]
    public async Task ForwardAsync_FirstUpstreamAnswers5xx_FailsOverToTheNext()
    {
        await using var failing = await FakeModelServer.StartAsync(c => FakeModelServer.Json(c, """{"error":"overloaded"}""", 503));
        await using var healthy = await FakeModelServer.StartAsync(c => FakeModelServer.Json(c, Answer));
        using var harness = new Harness(FirstThen(failing.BaseUrl, healthy.BaseUrl));

        var call = await harness.ForwardAsync();

        Assert.Equal(1, failing.Hits);
        Assert.Equal(OutcomeKind.Served, call.Outcome.Kind);
        Assert.Equal(healthy.Name, call.Upstream);
        Assert.Equal(Answer, Stage.ResponseText(call.Context));
    }

    [Fact]
    public async Task ForwardAsync_FirstUpstreamRefusesConnection_FailsOverToTheNext()
    {
        await using var healthy = await FakeModelServer.StartAsync(c => FakeModelServer.Json(c, Answer));
        using var harness = new Harness(FirstThen(FakeModelServer.Refusing(), healthy.BaseUrl));

        var call = await harness.ForwardAsync();

        Assert.Equal(OutcomeKind.Served, call.Outcome.Kind);
        Assert.Equal(healthy.Name, call.Upstream);
        Assert.Equal(Answer, Stage.ResponseText(call.Context));
    }

    [Fact]
    public async Task ForwardAsync_EveryUpstreamFails_502UpstreamErrorAndNothingWritten()
    {
        await using var failing = await FakeModelServer.StartAsync(c => FakeModelServer.Json(c, "{}", 500));
        using var harness = new Harness(FirstThen(failing.BaseUrl, FakeModelServer.Refusing()));

        var call = await harness.ForwardAsync();

        Assert.Equal(OutcomeKind.UpstreamFailed, call.Outcome.Kind);
        Assert.Equal(502, call.PendingError!.Status);
        Assert.Equal("upstream_error", call.PendingError.Code);
        Assert.Empty(harness.Settlements); // the handler settles and writes the error afterwards
        Assert.Equal("", Stage.ResponseText(call.Context));
    }

    [Fact]
    public async Task ForwardAsync_UpstreamRejects4xx_NoFailoverAndOpenAiShapedError()
    {
        await using var rejecting = await FakeModelServer.StartAsync(c =>
            FakeModelServer.Json(c, """{"object":"error","message":"max_tokens is too large","type":"BadRequestError","code":400}""", 400));
        await using var other = await FakeModelServer.StartAsync(c => FakeModelServer.Json(c, Answer));
        using var harness = new Harness(FirstThen(rejecting.BaseUrl, other.BaseUrl));

        var call = await harness.ForwardAsync();

        Assert.Equal(0, other.Hits);
        Assert.Equal(OutcomeKind.UpstreamRejected, call.Outcome.Kind);
        Assert.Equal("upstream_400", call.Outcome.ErrorCode);
        Assert.Equal("max_tokens is too large", call.PendingError!.Message);
        Assert.Equal("invalid_request_error", call.PendingError.Code);
        Assert.Empty(harness.Settlements);
        Assert.Equal("", Stage.ResponseText(call.Context));
    }

    [Fact]
    public async Task ForwardAsync_NoHeadersBeforeTheDeadline_504UpstreamTimeout()
    {
        await using var slow = await FakeModelServer.StartAsync(async c =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted);
            await FakeModelServer.Json(c, Answer);
        });
        using var harness = new Harness(Stage.Catalog(slow.BaseUrl), o => o.UpstreamTimeoutSeconds = 0.5);
        var stopwatch = Stopwatch.StartNew();

        var call = await harness.ForwardAsync();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        Assert.Equal(OutcomeKind.UpstreamFailed, call.Outcome.Kind);
        Assert.Equal(504, call.PendingError!.Status);
        Assert.Equal("upstream_timeout", call.PendingError.Code);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // chunked: the limit is counted as the body arrives
    public async Task ForwardAsync_BufferedAnswerOverMaxResponseBytes_502AndNothingRelayed(bool contentLength)
    {
        var huge = """{"choices":[{"index":0,"message":{"content":" """ + new string('x', 5000) + "\"}}]}";
        await using var upstream = await FakeModelServer.StartAsync(c => FakeModelServer.Json(c, huge, contentLength: contentLength));
        using var harness = new Harness(Stage.Catalog(upstream.BaseUrl), o => o.MaxResponseBytes = 1024);

        var call = await harness.ForwardAsync();

        Assert.Equal(OutcomeKind.UpstreamFailed, call.Outcome.Kind);
        Assert.Equal(502, call.PendingError!.Status);
        Assert.Contains("1024", call.PendingError.Message);
        Assert.Empty(harness.Settlements);
        Assert.Equal("", Stage.ResponseText(call.Context));
    }

    [Fact]
    public async Task ForwardAsync_BufferedAnswerBreaksOff_502NotServed()
    {
        await using var upstream = await FakeModelServer.StartAsync(async c =>
        {
            c.Response.ContentLength = 1000;
            await c.Response.WriteAsync("{\"choices\":");
            await c.Response.Body.FlushAsync();
            c.Abort();
        });
        using var harness = new Harness(Stage.Catalog(upstream.BaseUrl));

        var call = await harness.ForwardAsync();

        Assert.Equal(OutcomeKind.UpstreamFailed, call.Outcome.Kind);
        Assert.Equal(502, call.PendingError!.Status);
        Assert.Empty(harness.Settlements);
    }

    [Fact]
    public async Task ForwardAsync_Stream_SettledOnceBeforeDoneAndUsageChunkHidden()
    {
        await using var upstream = await FakeModelServer.StartAsync(async c =>
        {
            c.Response.ContentType = "text/event-stream";
            await c.Response.WriteAsync(FirstChunk);
            await c.Response.WriteAsync("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":1}}\n\n");
            await c.Response.WriteAsync("data: [DONE]\n\n");
        });
        using var harness = new Harness(Stage.Catalog(upstream.BaseUrl));

        var call = await harness.ForwardAsync(StreamBody);

        var (bodyAtSettlement, outcomeAtSettlement) = Assert.Single(harness.Settlements);
        Assert.Equal(OutcomeKind.Served, outcomeAtSettlement);
        Assert.Equal(FirstChunk, bodyAtSettlement);
        Assert.Equal(FirstChunk + "data: [DONE]\n\n", Stage.ResponseText(call.Context));
        Assert.Equal(4, call.Tap!.PromptTokens);
        Assert.StartsWith("text/event-stream", call.Context.Response.ContentType);
    }

    [Fact]
    public async Task ForwardAsync_OrgSuspendedMidStream_EndsWithAccountSuspendedErrorEvent()
    {
        await using var upstream = await FakeModelServer.StartAsync(async c =>
        {
            c.Response.ContentType = "text/event-stream";
            await c.Response.WriteAsync(FirstChunk);
            await c.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, c.RequestAborted);
        });
        using var harness = new Harness(Stage.Catalog(upstream.BaseUrl));
        var client = new WatchedStream("Hel");
        var context = Stage.Context();
        context.Response.Body = client;
        var call = harness.NewCall(context);

        var forwarding = harness.ForwardAsync(StreamBody, call);
        await client.Seen.WaitAsync(Patience);
        harness.Keys.Put(harness.Key with { State = OrgState.Suspended });
        await harness.Feed.PublishAsync(new OrgChanged(harness.Key.OrgId, "suspended"));
        await forwarding.WaitAsync(Patience);

        Assert.Equal(OutcomeKind.Enforced, call.Outcome.Kind);
        Assert.Equal("account_suspended", call.Outcome.ErrorCode);
        var text = Encoding.UTF8.GetString(client.ToArray());
        Assert.StartsWith(FirstChunk, text);
        Assert.DoesNotContain("[DONE]", text);
        var last = text[FirstChunk.Length..];
        Assert.StartsWith("data: ", last);
        Assert.EndsWith("\n\n", last);
        using var json = JsonDocument.Parse(last["data: ".Length..].Trim());
        Assert.Equal("account_suspended", json.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task ForwardAsync_OrgSuspendedBeforeHeaders_EnforcedRefusalAndNothingWritten()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeModelServer.StartAsync(async c =>
        {
            received.TrySetResult();
            await Task.Delay(Timeout.Infinite, c.RequestAborted);
        });
        using var harness = new Harness(Stage.Catalog(upstream.BaseUrl));

        var forwarding = harness.ForwardAsync();
        await received.Task.WaitAsync(Patience);
        harness.Keys.Put(harness.Key with { RevokedAt = Stage.Noon.AddYears(-1) });
        await harness.Feed.PublishAsync(new OrgChanged(harness.Key.OrgId, "key revoked"));
        var call = await forwarding.WaitAsync(Patience);

        Assert.Equal(OutcomeKind.Enforced, call.Outcome.Kind);
        Assert.Equal(401, call.PendingError!.Status);
        Assert.Equal("invalid_api_key", call.PendingError.Code);
        Assert.Equal("", Stage.ResponseText(call.Context));
        Assert.Equal(0, harness.InFlight.Count);
    }

    [Fact]
    public async Task ForwardAsync_ClientGoneMidStream_NotRecordedAsServed()
    {
        await using var upstream = await FakeModelServer.StartAsync(async c =>
        {
            c.Response.ContentType = "text/event-stream";
            await c.Response.WriteAsync(FirstChunk);
            await c.Response.Body.FlushAsync();
            await Task.Delay(300, c.RequestAborted);
            await c.Response.WriteAsync(FirstChunk);
            await c.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, c.RequestAborted);
        });
        using var harness = new Harness(Stage.Catalog(upstream.BaseUrl));
        var client = new DisconnectingClient();
        var context = Stage.Context();
        context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>(client);

        var call = await harness.ForwardAsync(StreamBody, harness.NewCall(context)).WaitAsync(Patience);

        Assert.NotEqual(OutcomeKind.Served, call.Outcome.Kind);
        Assert.Empty(harness.Settlements);
    }

    [Fact]
    public async Task ForwardAsync_StreamOverMaxResponseBytes_InterruptedWithErrorEvent()
    {
        await using var upstream = await FakeModelServer.StartAsync(async c =>
        {
            c.Response.ContentType = "text/event-stream";
            for (var i = 0; i < 100; i++)
            {
                await c.Response.WriteAsync(FirstChunk);
                await c.Response.Body.FlushAsync();
            }
            await Task.Delay(Timeout.Infinite, c.RequestAborted); // no [DONE]: the limit alone must end the stream
        });
        using var harness = new Harness(Stage.Catalog(upstream.BaseUrl), o => o.MaxResponseBytes = 1024);

        var call = await harness.ForwardAsync(StreamBody);

        Assert.Equal(OutcomeKind.UpstreamInterrupted, call.Outcome.Kind);
        var text = Stage.ResponseText(call.Context);
        Assert.DoesNotContain("[DONE]", text);
        Assert.Contains("\"code\":\"upstream_error\"", text);
        Assert.EndsWith("\n\n", text);
    }

    /// <summary>A client that reads the first bytes of the answer and then goes away (its side of the pipe completes).</summary>
    private sealed class DisconnectingClient : Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature
    {
        private readonly System.IO.Pipelines.Pipe _pipe = new();

        public DisconnectingClient() => _ = ReadThenLeaveAsync();

        public Stream Stream => _pipe.Writer.AsStream();

        public System.IO.Pipelines.PipeWriter Writer => _pipe.Writer;

        public void DisableBuffering()
        {
        }

        public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task CompleteAsync() => _pipe.Writer.CompleteAsync().AsTask();

        private async Task ReadThenLeaveAsync()
        {
            var result = await _pipe.Reader.ReadAsync();
            _pipe.Reader.AdvanceTo(result.Buffer.End);
            await _pipe.Reader.CompleteAsync();
        }
    }

    /// <summary>The client's side of the response; signals once a given text has arrived.</summary>
    private sealed class WatchedStream(string awaited) : MemoryStream
    {
        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Seen => _seen.Task;

        // MemoryStream's span overload calls back into Write(byte[], …) for derived types: the array overload does the work.
        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (this)
            {
                base.Write(buffer, offset, count);
                Check();
            }
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        private void Check()
        {
            if (Encoding.UTF8.GetString(GetBuffer(), 0, (int)Length).Contains(awaited, StringComparison.Ordinal))
            {
                _seen.TrySetResult();
            }
        }
    }
}
