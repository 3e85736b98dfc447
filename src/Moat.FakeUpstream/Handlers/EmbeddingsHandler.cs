using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Moat.FakeUpstream.Runtime;
using Moat.FakeUpstream.Text;
using Moat.FakeUpstream.Wire;

namespace Moat.FakeUpstream.Handlers;

/// <summary>
/// <c>POST /v1/embeddings</c>: one deterministic unit vector per input, as floats or, as the
/// OpenAI .NET SDK asks by default, base64 of little-endian float32. prompt_tokens is the
/// o200k_base count of each text input plus the length of each token-id input.
/// </summary>
internal sealed class EmbeddingsHandler(FakeUpstreamRuntime runtime, FakeUpstreamStats stats, RequestGate gate, TokenCounter tokens)
{
    private const int MaxDimensions = 65536;

    public async Task HandleAsync(HttpContext context)
    {
        var snapshot = runtime.Current;
        stats.CountEmbedding();
        var admission = await gate.AdmitAsync(context, snapshot);
        if (admission == Admission.Handled)
        {
            return;
        }

        using var body = await JsonBody.ReadAsync(context);
        if (body is null)
        {
            return;
        }

        var root = body.RootElement;
        if (Problem(root) is { } problem)
        {
            await OpenAiErrorWriter.InvalidRequestAsync(context, problem.Message, problem.Param);
            return;
        }

        var model = root.GetProperty("model").GetString()!;
        var dimensions = root.TryGetProperty("dimensions", out var d) && d.ValueKind == JsonValueKind.Number
            ? d.GetInt32()
            : snapshot.Options.EmbeddingDimensions;
        var base64 = root.TryGetProperty("encoding_format", out var format) && format.ValueKind == JsonValueKind.String
            && format.ValueEquals("base64"u8);

        if (admission == Admission.ProceedThenDrop)
        {
            // Embeddings are never streamed; a mid-response drop is a drop before the body.
            gate.Drop(context);
            return;
        }

        context.Response.ContentType = "application/json";
        var vector = ArrayPool<float>.Shared.Rent(dimensions);
        try
        {
            Write(context.Response.BodyWriter, root.GetProperty("input"), model, vector.AsSpan(0, dimensions), base64);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(vector);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private void Write(IBufferWriter<byte> output, JsonElement input, string model, Span<float> vector, bool base64)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("object", "list");
        json.WriteStartArray("data");
        var promptTokens = 0;
        var index = 0;
        if (input.ValueKind == JsonValueKind.String || IsTokenIds(input))
        {
            promptTokens += WriteItem(json, input, index, vector, base64);
        }
        else
        {
            foreach (var item in input.EnumerateArray())
            {
                promptTokens += WriteItem(json, item, index++, vector, base64);
            }
        }

        json.WriteEndArray();
        json.WriteString("model", model);
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", promptTokens);
        json.WriteNumber("total_tokens", promptTokens);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private int WriteItem(Utf8JsonWriter json, JsonElement item, int index, Span<float> vector, bool base64)
    {
        int promptTokens;
        if (item.ValueKind == JsonValueKind.String)
        {
            var text = item.GetString()!;
            EmbeddingVectors.Fill(text, vector);
            promptTokens = tokens.Count(text);
        }
        else
        {
            var ids = new int[item.GetArrayLength()];
            var i = 0;
            foreach (var id in item.EnumerateArray())
            {
                ids[i++] = id.GetInt32();
            }

            EmbeddingVectors.Fill(ids, vector);
            promptTokens = ids.Length;
        }

        json.WriteStartObject();
        json.WriteString("object", "embedding");
        json.WriteNumber("index", index);
        if (base64)
        {
            if (!BitConverter.IsLittleEndian)
            {
                for (var i = 0; i < vector.Length; i++)
                {
                    vector[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReverseEndianness(BitConverter.SingleToInt32Bits(vector[i])));
                }
            }

            json.WriteBase64String("embedding", MemoryMarshal.AsBytes(vector));
        }
        else
        {
            json.WriteStartArray("embedding");
            foreach (var value in vector)
            {
                json.WriteNumberValue(value);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        return promptTokens;
    }

    private static RequestProblem? Problem(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new("The request body must be a JSON object.", null);
        }

        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || model.GetString() is not { Length: > 0 })
        {
            return new("You must provide a model parameter.", "model");
        }

        if (!root.TryGetProperty("input", out var input) || !IsValidInput(input))
        {
            return new("'input' must be a string, an array of strings, or token ids (an array of integers or of integer arrays).", "input");
        }

        if (root.TryGetProperty("dimensions", out var dimensions) && dimensions.ValueKind != JsonValueKind.Null
            && (!JsonNumbers.TryInt32(dimensions, out var value) || value is < 1 or > MaxDimensions))
        {
            return new($"'dimensions' must be an integer between 1 and {MaxDimensions}.", "dimensions");
        }

        if (root.TryGetProperty("encoding_format", out var format) && format.ValueKind != JsonValueKind.Null
            && (format.ValueKind != JsonValueKind.String || (!format.ValueEquals("float"u8) && !format.ValueEquals("base64"u8))))
        {
            return new("'encoding_format' must be 'float' or 'base64'.", "encoding_format");
        }

        return null;
    }

    private static bool IsValidInput(JsonElement input)
    {
        if (input.ValueKind == JsonValueKind.String)
        {
            return true;
        }

        if (input.ValueKind != JsonValueKind.Array || input.GetArrayLength() == 0)
        {
            return false;
        }

        if (IsTokenIds(input))
        {
            return true;
        }

        foreach (var item in input.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String && !IsTokenIds(item))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsTokenIds(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Array || input.GetArrayLength() == 0)
        {
            return false;
        }

        foreach (var id in input.EnumerateArray())
        {
            if (!JsonNumbers.TryInt32(id, out var value) || value < 0)
            {
                return false;
            }
        }

        return true;
    }
}
