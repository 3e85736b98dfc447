using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Moat.Core.Errors;
using Moat.Gateway.Errors;
using Moat.Gateway.Pipeline.Admit;
using Moat.Gateway.Pipeline.Enforcement;
using Moat.Gateway.Telemetry;
using Moat.Gateway.Upstreams;

namespace Moat.Gateway.Pipeline.Forward;

/// <summary>
/// Forward: picks upstreams in order (weights, health), fails over before the first byte, owns the call's one
/// deadline (headers, then idle), relays buffered or streamed answers through the tap, enforces the response size
/// limit, and ends a running call with an error when enforcement cancels it. Settlement runs before the last byte.
/// </summary>
internal sealed class UpstreamForwarder(
    UpstreamSelector upstreams,
    UpstreamHttpClient client,
    InFlightCalls inFlight,
    GatewayOptions options,
    GatewayMetrics metrics,
    ILogger<UpstreamForwarder> logger)
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    public async Task ForwardAsync(GatewayCall call, AdmittedRequest admitted, ReadOnlyMemory<byte> body, Func<GatewayCall, ValueTask> settle)
    {
        var context = call.Context;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        using var registration = inFlight.Register(call, deadline);
        deadline.CancelAfter(TimeSpan.FromSeconds(options.UpstreamTimeoutSeconds));
        var order = new UpstreamEndpoint?[upstreams.MaxUpstreams];
        var count = upstreams.Order(admitted.Model.Id, order);
        for (var attempt = 0; attempt < count; attempt++)
        {
            var upstream = order[attempt]!;
            call.Upstream = upstream.Name;
            using var span = GatewayTracing.StartForward(admitted.Model.Id, upstream.Name);
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
                response = await client.SendAsync(message, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException) when (call.EnforcedBy is { } enforced)
            {
                call.Fail(CallOutcome.Enforced(enforced), enforced);
                return;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                GatewayLog.UpstreamTimedOut(logger, upstream.Name, call.RequestId);
                metrics.UpstreamError(upstream.Name, "timeout");
                Fail(call, ModelApiErrors.UpstreamTimeout());
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
                // Refused, reset or connect timeout before any byte: safe to try the next upstream.
                upstreams.ReportFailure(upstream);
                metrics.UpstreamError(upstream.Name, "refused");
                GatewayLog.UpstreamFailedOver(logger, upstream.Name, call.RequestId, "connection");
                continue;
            }
            using (response)
            {
                if ((int)response.StatusCode >= 500)
                {
                    upstreams.ReportFailure(upstream);
                    metrics.UpstreamError(upstream.Name, "5xx");
                    GatewayLog.UpstreamFailedOver(logger, upstream.Name, call.RequestId, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                    continue;
                }
                UpstreamSelector.ReportSuccess(upstream);
                call.Tap = new CompletionTap(call.Endpoint);
                if (admitted.Request.Stream && response.IsSuccessStatusCode)
                {
                    await RelayStreamAsync(call, admitted, response, deadline, settle).ConfigureAwait(false);
                }
                else
                {
                    await RelayBufferedAsync(call, response, deadline, settle).ConfigureAwait(false);
                }
                return;
            }
        }
        GatewayLog.AllUpstreamsFailed(logger, admitted.Model.Id, call.RequestId);
        Fail(call, ModelApiErrors.UpstreamError());
    }

    private static void Fail(GatewayCall call, OpenAiError error) => call.Fail(CallOutcome.UpstreamFailed(error), error);

    private async Task RelayBufferedAsync(GatewayCall call, HttpResponseMessage response, CancellationTokenSource deadline, Func<GatewayCall, ValueTask> settle)
    {
        var context = call.Context;
        deadline.CancelAfter(TimeSpan.FromSeconds(options.StreamIdleTimeoutSeconds));
        var max = options.MaxResponseBytes;
        if (response.Content.Headers.ContentLength > max)
        {
            TooLarge(call);
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(response.Content.Headers.ContentLength ?? 4096, 256, Math.Min(max + 1, 1 << 20)));
        try
        {
            var length = 0;
            try
            {
                await using var source = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
                while (length <= max)
                {
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(max + 1, (long)buffer.Length * 2));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    var read = await source.ReadAsync(buffer.AsMemory(length), deadline.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }
                    length += read;
                }
            }
            catch (OperationCanceledException) when (call.EnforcedBy is { } enforced && !context.RequestAborted.IsCancellationRequested)
            {
                call.Fail(CallOutcome.Enforced(enforced), enforced);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !context.RequestAborted.IsCancellationRequested))
            {
                GatewayLog.UpstreamInterrupted(logger, call.Upstream!, call.RequestId, ex);
                metrics.UpstreamError(call.Upstream!, "interrupted");
                Fail(call, ModelApiErrors.UpstreamError("The model server broke off its answer."));
                return;
            }
            if (length > max)
            {
                TooLarge(call);
                return;
            }
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                call.Tap!.Observe(buffer.AsSpan(0, length));
                call.Complete(CallOutcome.Served(status));
            }
            else
            {
                // The model server's refusal, relayed in OpenAI's shape whatever shape it came in.
                call.Fail(CallOutcome.UpstreamRejected(status), UpstreamErrorBody.Read(buffer.AsSpan(0, length), status));
                return;
            }
            // The record is durable before the client holds the answer.
            await settle(call).ConfigureAwait(false);
            context.Response.StatusCode = status;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? OpenAiError.ContentType;
            context.Response.ContentLength = length;
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, length), context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void TooLarge(GatewayCall call)
    {
        GatewayLog.UpstreamTooLarge(logger, call.Upstream!, call.RequestId, options.MaxResponseBytes);
        metrics.UpstreamError(call.Upstream!, "too_large");
        Fail(call, ModelApiErrors.UpstreamTooLarge(options.MaxResponseBytes));
    }

    private async Task RelayStreamAsync(GatewayCall call, AdmittedRequest admitted, HttpResponseMessage response, CancellationTokenSource deadline, Func<GatewayCall, ValueTask> settle)
    {
        var context = call.Context;
        var idle = TimeSpan.FromSeconds(options.StreamIdleTimeoutSeconds);
        deadline.CancelAfter(idle);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var relay = new ServerSentEventRelay(call.Tap!, hideUsageChunk: !admitted.Request.ClientIncludeUsage);
        try
        {
            await using var source = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            var end = await relay.CopyAsync(source, context.Response.BodyWriter, deadline, idle,
                () =>
                {
                    call.Complete(CallOutcome.Served(StatusCodes.Status200OK));
                    return settle(call);
                },
                options.MaxResponseBytes, context.RequestAborted).ConfigureAwait(false);
            switch (end)
            {
                case RelayEnd.Completed:
                    call.Complete(CallOutcome.Served(StatusCodes.Status200OK));
                    break;
                case RelayEnd.ClientGone:
                    call.Complete(CallOutcome.ClientClosed);
                    break;
                default:
                    GatewayLog.UpstreamTooLarge(logger, call.Upstream!, call.RequestId, options.MaxResponseBytes);
                    metrics.UpstreamError(call.Upstream!, "too_large");
                    call.Complete(CallOutcome.UpstreamInterrupted);
                    await WriteErrorEventAsync(context, ModelApiErrors.UpstreamTooLarge(options.MaxResponseBytes)).ConfigureAwait(false);
                    break;
            }
        }
        catch (OperationCanceledException) when (call.EnforcedBy is { } enforced && !context.RequestAborted.IsCancellationRequested)
        {
            // Suspended, terminated or revoked mid-stream: end with an error event the SDKs surface, not a silent cut.
            call.Complete(CallOutcome.Enforced(enforced));
            await WriteErrorEventAsync(context, enforced).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !context.RequestAborted.IsCancellationRequested))
        {
            // Bytes already went to the client: the only honest signal left is to cut the connection.
            GatewayLog.UpstreamInterrupted(logger, call.Upstream!, call.RequestId, ex);
            metrics.UpstreamError(call.Upstream!, "interrupted");
            call.Complete(CallOutcome.UpstreamInterrupted);
            context.Abort();
        }
    }

    /// <summary>A final <c>data: {"error": …}</c> event; the OpenAI SDKs raise it as an API error.</summary>
    private static async Task WriteErrorEventAsync(HttpContext context, OpenAiError error)
    {
        var writer = context.Response.BodyWriter;
        writer.Write("data: "u8);
        writer.Write(error.ToUtf8Json());
        writer.Write("\n\n"u8);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
