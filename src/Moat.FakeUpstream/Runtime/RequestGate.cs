using System.Globalization;
using Microsoft.AspNetCore.Http;
using Moat.FakeUpstream.Text;
using Moat.FakeUpstream.Wire;

namespace Moat.FakeUpstream.Runtime;

/// <summary>What a model endpoint should do after the gate.</summary>
internal enum Admission
{
    /// <summary>The gate already answered (401, injected failure) or dropped the connection.</summary>
    Handled,

    /// <summary>Answer normally.</summary>
    Proceed,

    /// <summary>Start answering, then abort the connection part-way (<c>x-fake-fail: drop-mid-stream</c>).</summary>
    ProceedThenDrop,
}

/// <summary>
/// Runs before every model endpoint: counts the request, applies latency, checks the API key
/// and injects failures, from the <c>x-fake-*</c> headers first and then from the configured
/// rates. Rate decisions hash Seed and the request's sequence number, so a run is repeatable.
/// </summary>
internal sealed class RequestGate(FakeUpstreamStats stats, TimeProvider time)
{
    public const string FailHeader = "x-fake-fail";
    public const string DelayHeader = "x-fake-delay-ms";

    public async ValueTask<Admission> AdmitAsync(HttpContext context, FakeUpstreamSnapshot snapshot)
    {
        var options = snapshot.Options;
        var sequence = stats.CountRequest();
        var request = context.Request;

        var delayMs = options.LatencyMs;
        var delayHeader = request.Headers[DelayHeader];
        if (delayHeader.Count > 0 && int.TryParse(delayHeader[0], NumberStyles.None, CultureInfo.InvariantCulture, out var headerDelay))
        {
            delayMs = headerDelay;
        }

        if (delayMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delayMs), time, context.RequestAborted);
        }

        if (options.RequiredApiKey is { Length: > 0 } key && !HasKey(request, key))
        {
            await OpenAiErrorWriter.WriteAsync(
                context, StatusCodes.Status401Unauthorized, "Incorrect API key provided.", "invalid_request_error", code: "invalid_api_key");
            return Admission.Handled;
        }

        var failHeader = request.Headers[FailHeader];
        if (failHeader.Count > 0 && failHeader[0] is { Length: > 0 } fail)
        {
            return await ApplyFailHeaderAsync(context, fail);
        }

        if (options.DropRate > 0 && Uniform(options.Seed, sequence, 1) < options.DropRate)
        {
            Drop(context);
            return Admission.Handled;
        }

        if (options.FailureRate > 0 && Uniform(options.Seed, sequence, 2) < options.FailureRate)
        {
            stats.CountFailure();
            await OpenAiErrorWriter.InjectedAsync(context, options.FailureStatus);
            return Admission.Handled;
        }

        return Admission.Proceed;
    }

    /// <summary>Aborts the connection; the client sees a transport error, not a status.</summary>
    public void Drop(HttpContext context)
    {
        stats.CountDrop();
        context.Abort();
    }

    /// <summary>
    /// Aborts after what was already flushed has reached the socket. A flush only hands bytes to
    /// Kestrel's transport, and an abort discards what it has not sent yet, so without the pause
    /// the client would see no chunks at all instead of a stream cut in the middle.
    /// </summary>
    public async Task DropAfterFlushAsync(HttpContext context)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(100), time, context.RequestAborted);
        Drop(context);
    }

    private async ValueTask<Admission> ApplyFailHeaderAsync(HttpContext context, string fail)
    {
        if (fail == "drop")
        {
            Drop(context);
            return Admission.Handled;
        }

        if (fail == "drop-mid-stream")
        {
            return Admission.ProceedThenDrop;
        }

        if (int.TryParse(fail, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 400 and <= 599)
        {
            stats.CountFailure();
            await OpenAiErrorWriter.InjectedAsync(context, status);
            return Admission.Handled;
        }

        // A typo in a test header should be loud, not silently ignored.
        await OpenAiErrorWriter.InvalidRequestAsync(
            context, $"Unknown {FailHeader} value '{fail}': use an HTTP status 400-599, 'drop' or 'drop-mid-stream'.", FailHeader);
        return Admission.Handled;
    }

    private static bool HasKey(HttpRequest request, string key)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value)
        {
            return false;
        }

        const string Scheme = "Bearer ";
        return value.Length == Scheme.Length + key.Length
            && value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            && value.AsSpan(Scheme.Length).SequenceEqual(key);
    }

    private static double Uniform(int seed, long sequence, ulong stream) =>
        new SplitMix64(SplitMix64.Mix(((ulong)(uint)seed << 32) ^ stream, (ulong)sequence)).NextDouble();
}
