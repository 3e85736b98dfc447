using System.Buffers;
using System.IO.Pipelines;

namespace Moat.Gateway.Pipeline.Forward;

/// <summary>
/// Relays an upstream SSE stream event by event, flushing after each read so chunks reach the client as they
/// arrive. Each event's data is shown to the <see cref="CompletionTap"/>; the usage-only chunk the gateway asked
/// for on the client's behalf is withheld from clients that did not ask for it.
/// </summary>
/// <summary>How a relayed stream ended.</summary>
internal enum RelayEnd
{
    Completed,
    TooLarge,
    ClientGone,
}

internal sealed class ServerSentEventRelay(CompletionTap tap, bool hideUsageChunk)
{
    private static ReadOnlySpan<byte> DataPrefix => "data:"u8;

    /// <summary>
    /// Copies events until the upstream ends. Before relaying the terminating <c>data: [DONE]</c> event it flushes
    /// what came before and awaits <paramref name="beforeDone"/> (the settlement that makes the ledger record
    /// durable), so no client sees the end of a stream that is not on record. Returns how the copy ended: the upstream
    /// finished, the stream exceeded <paramref name="maxBytes"/> in total or in one unterminated event (the caller ends
    /// it with an error event), or the client went away.
    /// </summary>
    public async Task<RelayEnd> CopyAsync(
        Stream source, PipeWriter destination, CancellationTokenSource idleDeadline, TimeSpan idle,
        Func<ValueTask> beforeDone, long maxBytes, CancellationToken clientAborted)
    {
        var reader = PipeReader.Create(source, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        long relayed = 0;
        try
        {
            var lastReset = Environment.TickCount64;
            idleDeadline.CancelAfter(idle);
            while (true)
            {
                // Re-arming the timer costs a timer-queue lock; once a second is precise enough for an idle timeout.
                var now = Environment.TickCount64;
                if (now - lastReset >= 1000)
                {
                    idleDeadline.CancelAfter(idle);
                    lastReset = now;
                }
                var result = await reader.ReadAsync(idleDeadline.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (TryReadEvent(ref buffer, out var evt))
                {
                    relayed += evt.Length;
                    if (relayed > maxBytes)
                    {
                        // Stop at the event that crosses the limit: nothing after it, [DONE] included, is relayed.
                        reader.AdvanceTo(buffer.End);
                        await destination.FlushAsync(clientAborted).ConfigureAwait(false);
                        return RelayEnd.TooLarge;
                    }
                    if (IsDone(evt))
                    {
                        await destination.FlushAsync(clientAborted).ConfigureAwait(false);
                        await beforeDone().ConfigureAwait(false);
                    }
                    Forward(evt, destination);
                }
                if (result.IsCompleted && !buffer.IsEmpty)
                {
                    // A final event without its blank line: relay it as it is.
                    relayed += buffer.Length;
                    Forward(buffer, destination);
                    buffer = buffer.Slice(buffer.End);
                }
                if (relayed > maxBytes || buffer.Length > maxBytes)
                {
                    reader.AdvanceTo(buffer.End);
                    await destination.FlushAsync(clientAborted).ConfigureAwait(false);
                    return RelayEnd.TooLarge;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                var flush = await destination.FlushAsync(clientAborted).ConfigureAwait(false);
                if (flush.IsCompleted)
                {
                    // The client's side of the pipe closed: it went away before the upstream finished.
                    return RelayEnd.ClientGone;
                }
                if (result.IsCompleted)
                {
                    return RelayEnd.Completed;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>True for the <c>data: [DONE]</c> event that ends an OpenAI stream.</summary>
    private static bool IsDone(ReadOnlySequence<byte> evt)
    {
        if (evt.Length > 32)
        {
            return false;
        }
        Span<byte> copy = stackalloc byte[32];
        evt.CopyTo(copy);
        var span = copy[..(int)evt.Length].TrimEnd("\r\n"u8);
        if (!span.StartsWith(DataPrefix))
        {
            return false;
        }
        return span[DataPrefix.Length..].Trim((byte)' ').SequenceEqual("[DONE]"u8);
    }

    /// <summary>Takes one event (up to and including its terminating blank line, LF or CRLF) off the buffer.</summary>
    private static bool TryReadEvent(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> evt)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (reader.TryAdvanceTo((byte)'\n'))
        {
            // An event ends at an empty line: "\n\n" or "\n\r\n".
            if (reader.IsNext((byte)'\n', advancePast: true) || reader.IsNext("\r\n"u8, advancePast: true))
            {
                evt = buffer.Slice(0, reader.Position);
                buffer = buffer.Slice(reader.Position);
                return true;
            }
        }
        evt = default;
        return false;
    }

    private void Forward(ReadOnlySequence<byte> evt, PipeWriter destination)
    {
        if (!Inspect(evt))
        {
            foreach (var segment in evt)
            {
                destination.Write(segment.Span);
            }
        }
    }

    /// <summary>Feeds the event's data to the tap; returns true when the event must be withheld.</summary>
    private bool Inspect(ReadOnlySequence<byte> evt)
    {
        if (evt.IsSingleSegment)
        {
            return InspectSpan(evt.FirstSpan);
        }
        var length = (int)evt.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            evt.CopyTo(rented);
            return InspectSpan(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private bool InspectSpan(ReadOnlySpan<byte> span)
    {
        {
            var hide = false;
            // Events are usually one "data:" line; multi-line data is joined by the SSE spec but never used by model servers.
            while (span.Length > 0)
            {
                var end = span.IndexOf((byte)'\n');
                var line = end < 0 ? span : span[..end];
                span = end < 0 ? [] : span[(end + 1)..];
                line = line.TrimEnd((byte)'\r');
                if (!line.StartsWith(DataPrefix))
                {
                    continue;
                }
                var data = line[DataPrefix.Length..].TrimStart((byte)' ');
                if (data.Length == 0 || data[0] != (byte)'{')
                {
                    continue;
                }
                var usageOnly = tap.Observe(data);
                hide |= usageOnly && hideUsageChunk;
            }
            return hide;
        }
    }
}
