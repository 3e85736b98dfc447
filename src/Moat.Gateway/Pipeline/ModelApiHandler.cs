using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Moat.Core.Access;
using Moat.Core.Ledger;
using Moat.Core.Models;
using Moat.Core.Quotas;
using Moat.Core.Signals;
using Moat.Gateway.Errors;
using Moat.Gateway.Parsing;
using Moat.Gateway.Quotas;
using Moat.Gateway.Telemetry;
using Moat.Gateway.Tokens;
using Moat.Gateway.Upstreams;

namespace Moat.Gateway.Pipeline;

/// <summary>
/// The request path of the model API: authenticate → admit → limit → forward → settle. Everything here is
/// in memory; the ledger, provenance and detection hand-offs are bounded channels behind their sinks.
/// </summary>
public sealed class ModelApiHandler
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly IKeyDirectory _keys;
    private readonly IRateLimiter _limiter;
    private readonly ILedgerSink _ledger;
    private readonly IServedOutputSink[] _servedSinks;
    private readonly IRequestFeatureSink[] _featureSinks;
    private readonly UpstreamSelector _upstreams;
    private readonly UpstreamHttpClient _client;
    private readonly TokenCounter _tokens;
    private readonly ModelCatalogOptions _catalog;
    private readonly GatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<ModelApiHandler> _logger;
    private long _inFlight;

    public ModelApiHandler(
        IKeyDirectory keys,
        IRateLimiter limiter,
        ILedgerSink ledger,
        IEnumerable<IServedOutputSink> servedSinks,
        IEnumerable<IRequestFeatureSink> featureSinks,
        UpstreamSelector upstreams,
        UpstreamHttpClient client,
        TokenCounter tokens,
        IOptions<ModelCatalogOptions> catalog,
        IOptions<GatewayOptions> options,
        TimeProvider time,
        GatewayMetrics metrics,
        ILogger<ModelApiHandler> logger)
    {
        _keys = keys;
        _limiter = limiter;
        _ledger = ledger;
        _servedSinks = [.. servedSinks];
        _featureSinks = [.. featureSinks];
        _upstreams = upstreams;
        _client = client;
        _tokens = tokens;
        _catalog = catalog.Value;
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Handles POST /v1/chat/completions, /v1/completions and /v1/embeddings.</summary>
    public Task HandleAsync(HttpContext context, ModelEndpoint endpoint) =>
        RunAsync(context, endpoint, static (handler, ctx, call) => handler.ProcessModelCallAsync(ctx, call));

    /// <summary>Handles GET /v1/models and GET /v1/models/{id}.</summary>
    public Task HandleModelsAsync(HttpContext context, string? modelId) =>
        RunAsync(context, ModelEndpoint.Models, (handler, ctx, call) => handler.ProcessModelsAsync(ctx, call, modelId));

    private async Task RunAsync(HttpContext context, ModelEndpoint endpoint, Func<ModelApiHandler, HttpContext, GatewayCall, Task> process)
    {
        var call = new GatewayCall(NewRequestId(), endpoint, _time.GetUtcNow(), _time.GetTimestamp());
        context.Response.Headers["x-request-id"] = call.RequestId;
        Interlocked.Increment(ref _inFlight);
        try
        {
            await process(this, context, call).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; 499 is the conventional ledger status for it.
            call.Status = 499;
            call.ErrorCode = "client_closed_request";
        }
        catch (Exception ex)
        {
            GatewayLog.Unhandled(_logger, call.RequestId, ex);
            call.Status = StatusCodes.Status500InternalServerError;
            call.ErrorCode = "internal_error";
            if (!context.Response.HasStarted)
            {
                await OpenAiErrorWriter.WriteAsync(context, OpenAiError.Internal()).ConfigureAwait(false);
            }
            else
            {
                context.Abort();
            }
        }
        finally
        {
            try
            {
                await SettleAsync(context, call).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    /// <summary>
    /// Requests not yet settled. A client can hold its complete response before the handler has handed the ledger
    /// record over (the body is sent first); this is zero once every answered request's records are queued.
    /// </summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    private async Task ProcessModelCallAsync(HttpContext context, GatewayCall call)
    {
        if (!await AuthenticateAsync(context, call).ConfigureAwait(false))
        {
            return;
        }
        var key = call.Key!;

        // Admit: body within limits, well-formed, for a model this tier may use.
        var rented = await ReadBodyAsync(context, call).ConfigureAwait(false);
        if (rented is null)
        {
            return;
        }
        try
        {
            var body = rented.Value;
            if (!ModelRequestParser.TryParse(body.AsSpan(), call.Endpoint, out var request, out var parseError))
            {
                await FailAsync(context, call, parseError!).ConfigureAwait(false);
                return;
            }
            call.Request = request;
            var model = _catalog.Find(request.Model);
            if (model is null)
            {
                await FailAsync(context, call, OpenAiError.ModelNotFound(request.Model)).ConfigureAwait(false);
                return;
            }
            call.Model = model;
            if (!key.TierOptions.AllowsModel(model.Id))
            {
                await FailAsync(context, call, OpenAiError.ModelNotAllowed(model.Id)).ConfigureAwait(false);
                return;
            }

            // Limit: reserve one request and prompt + maximum completion tokens.
            call.EstimatedPromptTokens = CountPromptTokens(request, model);
            var reservedCompletion = call.Endpoint == ModelEndpoint.Embeddings
                ? 0L
                : (long)(request.MaxTokens ?? key.DefaultMaxTokens) * request.N;
            var decision = await _limiter.AcquireAsync(LimitRequest(key, call.EstimatedPromptTokens + reservedCompletion), context.RequestAborted).ConfigureAwait(false);
            call.LimitStatus = decision.Status;
            RateLimitHeaders.Apply(context.Response.Headers, decision.Status);
            if (!decision.Admitted)
            {
                _metrics.LimitRejected(decision.Rejection.ToString());
                GatewayLog.LimitRejected(_logger, call.RequestId, decision.Rejection.ToString(), key.OrgId);
                await FailAsync(context, call, LimitError(decision, key, call.EstimatedPromptTokens + reservedCompletion), decision.RetryAfter).ConfigureAwait(false);
                return;
            }
            call.Lease = decision.Lease;

            // Forward.
            var upstreamBody = UpstreamBody(body, request, model);
            await ForwardAsync(context, call, upstreamBody).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented.Value.Array!);
        }
    }

    private async Task ProcessModelsAsync(HttpContext context, GatewayCall call, string? modelId)
    {
        if (!await AuthenticateAsync(context, call).ConfigureAwait(false))
        {
            return;
        }
        var key = call.Key!;
        var status = await _limiter.PeekAsync(LimitRequest(key, 0), context.RequestAborted).ConfigureAwait(false);
        call.LimitStatus = status;
        RateLimitHeaders.Apply(context.Response.Headers, status);
        var created = 0L;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (modelId is null)
            {
                writer.WriteStartObject();
                writer.WriteString("object", "list");
                writer.WriteStartArray("data");
                foreach (var model in _catalog.Models)
                {
                    if (key.TierOptions.AllowsModel(model.Id))
                    {
                        WriteModel(writer, model, created);
                    }
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            else
            {
                var model = _catalog.Find(modelId);
                if (model is null || !key.TierOptions.AllowsModel(model.Id))
                {
                    await FailAsync(context, call, OpenAiError.ModelNotFound(modelId)).ConfigureAwait(false);
                    return;
                }
                call.Model = model;
                WriteModel(writer, model, created);
            }
        }
        context.Response.ContentType = OpenAiErrorWriter.ContentType;
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static void WriteModel(Utf8JsonWriter writer, ModelOptions model, long created)
    {
        writer.WriteStartObject();
        writer.WriteString("id", model.Id);
        writer.WriteString("object", "model");
        writer.WriteNumber("created", model.ReleasedAt?.ToUnixTimeSeconds() ?? created);
        writer.WriteString("owned_by", "moat");
        writer.WriteEndObject();
    }

    /// <summary>Bearer secret → key snapshot → organisation state. Writes the error and returns false when refused.</summary>
    private async Task<bool> AuthenticateAsync(HttpContext context, GatewayCall call)
    {
        if (!TryReadBearer(context.Request.Headers.Authorization, out var secret))
        {
            call.Status = StatusCodes.Status401Unauthorized;
            await OpenAiErrorWriter.WriteAsync(context, OpenAiError.InvalidApiKey(
                "You didn't provide an API key. Pass it in the Authorization header as 'Bearer <key>'.")).ConfigureAwait(false);
            return false;
        }
        var entry = _keys.FindByHash(ApiKeySecret.Hash(secret));
        if (entry is null || !entry.IsUsableAt(call.StartedAt))
        {
            call.Status = StatusCodes.Status401Unauthorized;
            await OpenAiErrorWriter.WriteAsync(context, OpenAiError.InvalidApiKey()).ConfigureAwait(false);
            return false;
        }
        call.Key = entry;
        var refusal = entry.State switch
        {
            OrgState.Pending => OpenAiError.AccessNotApproved(),
            OrgState.Suspended => OpenAiError.AccountSuspended(),
            OrgState.Terminated => OpenAiError.AccountTerminated(),
            _ => null,
        };
        if (refusal is not null)
        {
            await FailAsync(context, call, refusal).ConfigureAwait(false);
            return false;
        }
        return true;
    }

    internal static bool TryReadBearer(string? header, out ReadOnlySpan<char> secret)
    {
        secret = default;
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }
        var value = header.AsSpan().Trim();
        if (value.Length <= 7 || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        secret = value[7..].Trim();
        return secret.Length > 0;
    }

    /// <summary>Reads the whole body into a pooled buffer, refusing bodies over the limit with 413.</summary>
    private async Task<ArraySegment<byte>?> ReadBodyAsync(HttpContext context, GatewayCall call)
    {
        var max = _options.MaxBodyBytes;
        if (context.Request.ContentLength > max)
        {
            await FailAsync(context, call, OpenAiError.RequestTooLarge(max)).ConfigureAwait(false);
            return null;
        }
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = max + 1;
        }
        var initial = (int)Math.Min(max + 1, Math.Max(context.Request.ContentLength ?? 4096, 256));
        var buffer = ArrayPool<byte>.Shared.Rent(initial);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > max)
                    {
                        break;
                    }
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(max + 1, (long)buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                length += read;
                if (length > max)
                {
                    break;
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            length = (int)Math.Min(int.MaxValue, max + 1);
        }
        catch (BadHttpRequestException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await FailAsync(context, call, OpenAiError.InvalidRequest("The request body could not be read.")).ConfigureAwait(false);
            return null;
        }
        if (length > max)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await FailAsync(context, call, OpenAiError.RequestTooLarge(max)).ConfigureAwait(false);
            return null;
        }
        return new ArraySegment<byte>(buffer, 0, length);
    }

    private long CountPromptTokens(ModelRequest request, ModelOptions model) => request.Endpoint == ModelEndpoint.ChatCompletions
        ? _tokens.CountChat(model.Encoding, request.PromptText, request.MessageCount)
        : _tokens.Count(model.Encoding, request.PromptText) + request.PromptTokenIds;

    private static RateLimitRequest LimitRequest(KeyEntry key, long tokens) =>
        new(key.OrgId, key.OrgLimits, key.KeyId, key.KeyLimits, tokens);

    private static OpenAiError LimitError(RateLimitDecision decision, KeyEntry key, long requested)
    {
        var wait = RateLimitHeaders.Duration(decision.RetryAfter);
        var status = decision.Status;
        return decision.Rejection switch
        {
            RateLimitRejection.Requests => OpenAiError.RateLimited(string.Create(CultureInfo.InvariantCulture,
                $"Rate limit reached for requests per minute (RPM) of organization {key.OrgId}: Limit {status.LimitRequests}, Remaining {status.RemainingRequests}. Please try again in {wait}.")),
            RateLimitRejection.Tokens => OpenAiError.TokensRateLimited(string.Create(CultureInfo.InvariantCulture,
                $"Rate limit reached for tokens per minute (TPM) of organization {key.OrgId}: Limit {status.LimitTokens}, Remaining {status.RemainingTokens}, Requested {requested}. Please try again in {wait}.")),
            _ => OpenAiError.InsufficientQuota(string.Create(CultureInfo.InvariantCulture,
                $"You exceeded your daily token quota (tokens per day) for organization {key.OrgId}; it resets at 00:00 UTC, in {wait}.")),
        };
    }

    /// <summary>
    /// The body sent upstream: the client's bytes, except that streams always ask for usage (so the ledger is exact)
    /// and a configured upstream model name replaces the public one.
    /// </summary>
    private static ReadOnlyMemory<byte> UpstreamBody(ReadOnlyMemory<byte> body, ModelRequest request, ModelOptions model)
    {
        var rename = model.UpstreamModel is { Length: > 0 } upstreamModel && upstreamModel != model.Id;
        var needsUsage = request.Stream && !request.ClientIncludeUsage;
        if (!rename && !needsUsage)
        {
            return body;
        }
        if (!rename && !request.HasStreamOptions)
        {
            // Cheap splice after the opening brace; the object is known to hold at least "model".
            var span = body.Span;
            var brace = span.IndexOf((byte)'{');
            var injected = "\"stream_options\":{\"include_usage\":true},"u8;
            var result = new byte[body.Length + injected.Length];
            span[..(brace + 1)].CopyTo(result);
            injected.CopyTo(result.AsSpan(brace + 1));
            span[(brace + 1)..].CopyTo(result.AsSpan(brace + 1 + injected.Length));
            return result;
        }
        var node = JsonNode.Parse(body.Span)!.AsObject();
        if (rename)
        {
            node["model"] = model.UpstreamModel;
        }
        if (needsUsage)
        {
            node["stream_options"] = new JsonObject { ["include_usage"] = true };
        }
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    private async Task ForwardAsync(HttpContext context, GatewayCall call, ReadOnlyMemory<byte> body)
    {
        var request = call.Request!;
        var order = new UpstreamEndpoint?[_upstreams.MaxUpstreams];
        var count = _upstreams.Order(call.Model!.Id, order);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(TimeSpan.FromSeconds(_options.UpstreamTimeoutSeconds));
        for (var attempt = 0; attempt < count; attempt++)
        {
            var upstream = order[attempt]!;
            call.Upstream = upstream.Name;
            using var message = new HttpRequestMessage(HttpMethod.Post, upstream.UriFor(call.Endpoint))
            {
                Version = HttpVersion.Version11,
                Content = new ReadOnlyMemoryContent(body),
            };
            message.Content.Headers.ContentType = JsonContentType;
            message.Headers.Authorization = upstream.Authorization;
            message.Headers.TryAddWithoutValidation("x-request-id", call.RequestId);
            HttpResponseMessage response;
            try
            {
                response = await _client.SendAsync(message, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                GatewayLog.UpstreamTimedOut(_logger, upstream.Name, call.RequestId);
                _metrics.UpstreamError(upstream.Name, "timeout");
                await FailAsync(context, call, OpenAiError.UpstreamTimeout()).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
                // Refused, reset or connect timeout before any byte: safe to try the next upstream.
                _upstreams.ReportFailure(upstream);
                _metrics.UpstreamError(upstream.Name, "refused");
                GatewayLog.UpstreamFailedOver(_logger, upstream.Name, call.RequestId, "connection");
                continue;
            }
            using (response)
            {
                if ((int)response.StatusCode >= 500)
                {
                    _upstreams.ReportFailure(upstream);
                    _metrics.UpstreamError(upstream.Name, "5xx");
                    GatewayLog.UpstreamFailedOver(_logger, upstream.Name, call.RequestId, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                    continue;
                }
                UpstreamSelector.ReportSuccess(upstream);
                call.Tap = new CompletionTap(call.Endpoint);
                if (request.Stream && response.IsSuccessStatusCode)
                {
                    await RelayStreamAsync(context, call, response, deadline).ConfigureAwait(false);
                }
                else
                {
                    await RelayBufferedAsync(context, call, response, deadline).ConfigureAwait(false);
                }
                return;
            }
        }
        GatewayLog.AllUpstreamsFailed(_logger, call.Model.Id, call.RequestId);
        await FailAsync(context, call, OpenAiError.UpstreamError()).ConfigureAwait(false);
    }

    private async Task RelayBufferedAsync(HttpContext context, GatewayCall call, HttpResponseMessage response, CancellationTokenSource deadline)
    {
        deadline.CancelAfter(TimeSpan.FromSeconds(_options.StreamIdleTimeoutSeconds));
        byte[] payload;
        try
        {
            payload = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !context.RequestAborted.IsCancellationRequested))
        {
            GatewayLog.UpstreamInterrupted(_logger, call.Upstream!, call.RequestId, ex);
            _metrics.UpstreamError(call.Upstream!, "interrupted");
            await FailAsync(context, call, OpenAiError.UpstreamError("The model server broke off its answer.")).ConfigureAwait(false);
            return;
        }
        var status = (int)response.StatusCode;
        call.Status = status;
        if (response.IsSuccessStatusCode)
        {
            call.Tap!.Observe(payload);
        }
        else
        {
            call.ErrorCode = "upstream_" + status.ToString(CultureInfo.InvariantCulture);
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? OpenAiErrorWriter.ContentType;
        context.Response.ContentLength = payload.Length;
        await context.Response.Body.WriteAsync(payload, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task RelayStreamAsync(HttpContext context, GatewayCall call, HttpResponseMessage response, CancellationTokenSource deadline)
    {
        var idle = TimeSpan.FromSeconds(_options.StreamIdleTimeoutSeconds);
        deadline.CancelAfter(idle);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        call.Status = StatusCodes.Status200OK;
        var hideUsage = !call.Request!.ClientIncludeUsage;
        var relay = new ServerSentEventRelay(call.Tap!, hideUsage);
        try
        {
            await using var source = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            await relay.CopyAsync(source, context.Response.BodyWriter, deadline, idle, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !context.RequestAborted.IsCancellationRequested))
        {
            // Bytes already went to the client: the only honest signal left is to cut the connection.
            GatewayLog.UpstreamInterrupted(_logger, call.Upstream!, call.RequestId, ex);
            _metrics.UpstreamError(call.Upstream!, "interrupted");
            call.Status = StatusCodes.Status502BadGateway;
            call.ErrorCode = "upstream_interrupted";
            context.Abort();
        }
    }

    private async Task FailAsync(HttpContext context, GatewayCall call, OpenAiError error, TimeSpan? retryAfter = null)
    {
        call.Status = error.Status;
        call.ErrorCode = error.Code;
        if (call.Key is not null && call.LimitStatus is null && !context.Response.HasStarted)
        {
            // Responses that consume no quota still tell the client where it stands.
            var status = await _limiter.PeekAsync(LimitRequest(call.Key, 0), CancellationToken.None).ConfigureAwait(false);
            call.LimitStatus = status;
            RateLimitHeaders.Apply(context.Response.Headers, status);
        }
        await OpenAiErrorWriter.WriteAsync(context, error, retryAfter).ConfigureAwait(false);
    }

    /// <summary>Reconciles the lease and hands the ledger, provenance and detection records to their channels.</summary>
    private async Task SettleAsync(HttpContext context, GatewayCall call)
    {
        var elapsed = _time.GetElapsedTime(call.StartTimestamp).TotalMilliseconds;
        _metrics.Request(call.Endpoint.Path(), call.Status, elapsed);
        var key = call.Key;
        if (key is null)
        {
            return;
        }
        var tap = call.Tap;
        var served = call.Status is >= 200 and < 300 && tap is not null;
        long promptTokens = 0;
        long completionTokens = 0;
        if (served)
        {
            promptTokens = tap!.PromptTokens ?? call.EstimatedPromptTokens;
            completionTokens = tap.CompletionTokens ?? CountCompletion(call, tap);
        }
        else if (call.Status == 499 || call.ErrorCode == "upstream_interrupted")
        {
            // Whatever was generated before the break was still produced (and possibly seen): charge it.
            promptTokens = tap is null ? 0 : call.EstimatedPromptTokens;
            completionTokens = tap is null ? 0 : tap.CompletionTokens ?? CountCompletion(call, tap);
        }
        if (call.Lease is not null)
        {
            await _limiter.SettleAsync(call.Lease, promptTokens + completionTokens, CancellationToken.None).ConfigureAwait(false);
        }
        var model = call.Model?.Id ?? call.Request?.Model;
        _metrics.Tokens(model ?? "", promptTokens, completionTokens);
        var headers = context.Request.Headers;
        var clientIp = ClientAddress(context);
        string? userAgent = headers.UserAgent;
        await _ledger.WriteAsync(new UsageRecord
        {
            RequestId = call.RequestId,
            OrgId = key.OrgId,
            KeyId = key.KeyId,
            Endpoint = call.Endpoint.Path(),
            Model = model,
            Stream = call.Request?.Stream ?? false,
            PromptTokens = promptTokens,
            CompletionTokens = completionTokens,
            Status = call.Status,
            ErrorCode = call.ErrorCode,
            Upstream = call.Upstream,
            LatencyMs = Math.Round(elapsed, 3),
            Timestamp = call.StartedAt,
            ClientIp = clientIp,
            UserAgent = userAgent,
        }, CancellationToken.None).ConfigureAwait(false);

        if (served && call.Endpoint != ModelEndpoint.Embeddings && model is not null)
        {
            foreach (var text in tap!.Texts)
            {
                foreach (var sink in _servedSinks)
                {
                    sink.Post(new ServedOutput(key.OrgId, key.KeyId, call.RequestId, model, call.StartedAt, text) { Prompt = call.Request?.PromptText });
                }
            }
        }
        if (call.Request is { } request && _featureSinks.Length > 0 && call.Endpoint != ModelEndpoint.Models)
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
                N = request.N,
                Temperature = request.Temperature,
                MaxTokens = request.MaxTokens,
                Logprobs = request.Logprobs,
                Stream = request.Stream,
                PromptTokens = promptTokens,
                CompletionTokens = completionTokens,
                Status = call.Status,
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
    /// The client address: the TCP peer, or — behind a proxy listed in <c>Moat:ForwardedHeaders</c> — the address that proxy
    /// forwarded (the host's forwarded-headers middleware has already applied it; no header is read here).
    /// </summary>
    private static string? ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();

    private long CountCompletion(GatewayCall call, CompletionTap tap)
    {
        if (!tap.HasText || call.Model is null)
        {
            return 0;
        }
        long total = 0;
        foreach (var text in tap.Texts)
        {
            total += _tokens.Count(call.Model.Encoding, text);
        }
        return total;
    }

    private static string NewRequestId()
    {
        Span<byte> bytes = stackalloc byte[12];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        return "req_" + Convert.ToHexStringLower(bytes);
    }
}
