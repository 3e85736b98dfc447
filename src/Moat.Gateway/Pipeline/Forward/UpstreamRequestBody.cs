using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Moat.Gateway.Parsing;
using Moat.Gateway.Pipeline.Admit;

namespace Moat.Gateway.Pipeline.Forward;

/// <summary>
/// The body sent upstream: the client's bytes, spliced (no DOM) where the gateway must own a field. Streams always
/// carry <c>"stream_options":{"include_usage":true}</c> (the client's value is replaced, never prepended, so a later
/// duplicate or a null cannot switch usage off); a request without a completion budget gets the tier default as
/// <c>max_tokens</c>, so the reservation binds; a configured upstream model name replaces the public one.
/// </summary>
internal static class UpstreamRequestBody
{
    private static ReadOnlySpan<byte> IncludeUsage => "{\"include_usage\":true}"u8;

    public static ReadOnlyMemory<byte> Build(ReadOnlyMemory<byte> body, AdmittedRequest admitted)
    {
        var request = admitted.Request;
        var model = admitted.Model;
        var rename = model.UpstreamModel is { Length: > 0 } upstreamModel && upstreamModel != model.Id;
        var ownUsage = request.Stream;
        var addBudget = request.Endpoint != ModelEndpoint.Embeddings && request.RequestedCompletionTokens is null;
        if (!rename && !ownUsage && !addBudget)
        {
            return body;
        }
        var span = body.Span;
        var brace = span.IndexOf((byte)'{');
        var inserted = new ArrayBufferWriter<byte>(64);
        if (addBudget)
        {
            inserted.Write("\"max_tokens\":"u8);
            inserted.Write(Encoding.ASCII.GetBytes(admitted.Cost.CompletionBudget.ToString(CultureInfo.InvariantCulture)));
            inserted.Write(","u8);
        }
        var replaceStreamOptions = ownUsage && !request.StreamOptionsValue.IsEmpty;
        if (ownUsage && !replaceStreamOptions)
        {
            inserted.Write("\"stream_options\":"u8);
            inserted.Write(IncludeUsage);
            inserted.Write(","u8);
        }
        byte[]? modelValue = rename ? JsonSerializer.SerializeToUtf8Bytes(model.UpstreamModel) : null;

        // Splices in body order: the insertion after the opening brace, then the two value replacements.
        Span<(BodyRange Range, int Kind)> edits =
        [
            (new BodyRange(brace + 1, 0), 0),
            (rename ? request.ModelValue : default, 1),
            (replaceStreamOptions ? request.StreamOptionsValue : default, 2),
        ];
        if (edits[1].Range.Start > edits[2].Range.Start && replaceStreamOptions && rename)
        {
            (edits[1], edits[2]) = (edits[2], edits[1]);
        }
        var size = body.Length + inserted.WrittenCount
            + (rename ? modelValue!.Length - request.ModelValue.Length : 0)
            + (replaceStreamOptions ? IncludeUsage.Length - request.StreamOptionsValue.Length : 0);
        var result = new byte[size];
        var written = 0;
        var position = 0;
        foreach (var (range, kind) in edits)
        {
            if (kind != 0 && range.IsEmpty)
            {
                continue;
            }
            span[position..range.Start].CopyTo(result.AsSpan(written));
            written += range.Start - position;
            ReadOnlySpan<byte> replacement = kind switch
            {
                0 => inserted.WrittenSpan,
                1 => modelValue,
                _ => IncludeUsage,
            };
            replacement.CopyTo(result.AsSpan(written));
            written += replacement.Length;
            position = range.End;
        }
        span[position..].CopyTo(result.AsSpan(written));
        return result;
    }

}
