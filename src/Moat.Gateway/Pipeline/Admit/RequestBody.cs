using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Moat.Core.Errors;
using Moat.Gateway.Errors;

namespace Moat.Gateway.Pipeline.Admit;

/// <summary>The request body in a pooled buffer; disposing returns the buffer. Owned by the handler for the call's life.</summary>
internal sealed class RequestBody : IDisposable
{
    private byte[]? _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => Memory.Span;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads the whole body, refusing bodies over <paramref name="maxBytes"/> with 413 whatever the framing (a chunked
    /// body is counted as it arrives), and unreadable bodies (bad chunk framing, a reset) with 400.
    /// </summary>
    public static async Task<(RequestBody? Body, OpenAiError? Error)> ReadAsync(HttpContext context, long maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            return (null, OpenAiError.RequestTooLarge(maxBytes));
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes + 1;
        }
        var initial = (int)Math.Min(maxBytes + 1, Math.Max(context.Request.ContentLength ?? 4096, 256));
        var buffer = ArrayPool<byte>.Shared.Rent(initial);
        var length = 0;
        try
        {
            while (length <= maxBytes)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes + 1, (long)buffer.Length * 2));
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
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            length = (int)Math.Min(int.MaxValue, maxBytes + 1);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException or InvalidDataException or FormatException
            || (ex is OperationCanceledException && !context.RequestAborted.IsCancellationRequested))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, OpenAiError.InvalidRequest("The request body could not be read (malformed framing or an interrupted upload)."));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        if (length > maxBytes)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, OpenAiError.RequestTooLarge(maxBytes));
        }
        return (new RequestBody(buffer, length), null);
    }
}
