using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Moat.FakeUpstream.Runtime;
using Moat.FakeUpstream.Wire;

namespace Moat.FakeUpstream.Handlers;

/// <summary>
/// Test controls under <c>/_fake</c>: read and change options live, read and reset counters.
/// Option names are accepted as PascalCase, camelCase or snake_case (<c>LatencyMs</c>,
/// <c>latencyMs</c>, <c>latency_ms</c>); only the fields present change.
/// </summary>
internal sealed class ControlHandler(FakeUpstreamRuntime runtime, FakeUpstreamStats stats)
{
    public Task GetConfigAsync(HttpContext context) => WriteConfigAsync(context, runtime.Current.Options);

    public async Task PostConfigAsync(HttpContext context)
    {
        using var body = await JsonBody.ReadAsync(context);
        if (body is null)
        {
            return;
        }

        if (body.RootElement.ValueKind != JsonValueKind.Object)
        {
            await OpenAiErrorWriter.InvalidRequestAsync(context, "The body must be a JSON object of option fields.");
            return;
        }

        var next = runtime.Current.Options.Clone();
        foreach (var field in body.RootElement.EnumerateObject())
        {
            if (!TrySet(next, field))
            {
                await OpenAiErrorWriter.InvalidRequestAsync(context, $"'{field.Name}' is not an option field or has the wrong type.", field.Name);
                return;
            }
        }

        var failures = runtime.TryApply(next);
        if (failures.Count > 0)
        {
            await OpenAiErrorWriter.InvalidRequestAsync(context, string.Join(" ", failures));
            return;
        }

        await WriteConfigAsync(context, runtime.Current.Options);
    }

    public async Task GetStatsAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteNumber("requests", stats.Requests);
            json.WriteNumber("chat", stats.Chat);
            json.WriteNumber("completions", stats.Completions);
            json.WriteNumber("embeddings", stats.Embeddings);
            json.WriteNumber("failures", stats.Failures);
            json.WriteNumber("drops", stats.Drops);
            json.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public Task ResetAsync(HttpContext context)
    {
        stats.Reset();
        return GetStatsAsync(context);
    }

    private static bool TrySet(FakeUpstreamOptions options, JsonProperty field)
    {
        var value = field.Value;
        switch (field.Name.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant())
        {
            case "minwords": return TryInt(value, v => options.MinWords = v);
            case "maxwords": return TryInt(value, v => options.MaxWords = v);
            case "latencyms": return TryInt(value, v => options.LatencyMs = v);
            case "chunkdelayms": return TryInt(value, v => options.ChunkDelayMs = v);
            case "wordsperchunk": return TryInt(value, v => options.WordsPerChunk = v);
            case "failurestatus": return TryInt(value, v => options.FailureStatus = v);
            case "embeddingdimensions": return TryInt(value, v => options.EmbeddingDimensions = v);
            case "seed": return TryInt(value, v => options.Seed = v);
            case "failurerate": return TryDouble(value, v => options.FailureRate = v);
            case "droprate": return TryDouble(value, v => options.DropRate = v);
            case "replayfile": return TryString(value, v => options.ReplayFile = v);
            case "replaygenerator": return TryString(value, v => options.ReplayGenerator = v);
            case "requiredapikey": return TryString(value, v => options.RequiredApiKey = v);
            case "models":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    return false;
                }

                var models = new List<string>();
                foreach (var model in value.EnumerateArray())
                {
                    if (model.ValueKind != JsonValueKind.String)
                    {
                        return false;
                    }

                    models.Add(model.GetString()!);
                }

                options.Models = [.. models];
                return true;
            default:
                return false;
        }
    }

    private static bool TryInt(JsonElement value, Action<int> set)
    {
        if (!JsonNumbers.TryInt32(value, out var number))
        {
            return false;
        }

        set(number);
        return true;
    }

    private static bool TryDouble(JsonElement value, Action<double> set)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        set(value.GetDouble());
        return true;
    }

    private static bool TryString(JsonElement value, Action<string?> set)
    {
        if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            return false;
        }

        set(value.GetString());
        return true;
    }

    private static async Task WriteConfigAsync(HttpContext context, FakeUpstreamOptions options)
    {
        context.Response.ContentType = "application/json";
        using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteNumber("min_words", options.MinWords);
            json.WriteNumber("max_words", options.MaxWords);
            json.WriteNumber("latency_ms", options.LatencyMs);
            json.WriteNumber("chunk_delay_ms", options.ChunkDelayMs);
            json.WriteNumber("words_per_chunk", options.WordsPerChunk);
            json.WriteNumber("failure_rate", options.FailureRate);
            json.WriteNumber("failure_status", options.FailureStatus);
            json.WriteNumber("drop_rate", options.DropRate);
            json.WriteString("replay_file", options.ReplayFile);
            json.WriteString("replay_generator", options.ReplayGenerator);
            json.WriteStartArray("models");
            foreach (var model in options.Models)
            {
                json.WriteStringValue(model);
            }

            json.WriteEndArray();
            json.WriteNumber("embedding_dimensions", options.EmbeddingDimensions);
            json.WriteNumber("seed", options.Seed);
            // The key itself is a secret; say only whether one is required.
            json.WriteBoolean("requires_api_key", !string.IsNullOrEmpty(options.RequiredApiKey));
            json.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
