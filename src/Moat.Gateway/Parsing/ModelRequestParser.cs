using System.Text;
using System.Text.Json;
using Moat.Core.Errors;
using Moat.Gateway.Errors;

namespace Moat.Gateway.Parsing;

/// <summary>
/// Validates a model API body and extracts the fields the gateway needs with <see cref="Utf8JsonReader"/>.
/// Top-level parameters are an allow-list per endpoint (the rest are collected for the model's pass-through list);
/// a parameter given twice is refused, since the gateway and the model server might each read a different copy.
/// Wrong types of known fields are rejected in the OpenAI error shape, naming the parameter.
/// </summary>
public static class ModelRequestParser
{
    private static readonly string[] ChatRoles = ["system", "user", "assistant", "tool", "developer", "function"];

    public static bool TryParse(ReadOnlySpan<byte> body, ModelEndpoint endpoint, out ModelRequest request, out OpenAiError? error)
    {
        request = new ModelRequest { Endpoint = endpoint };
        try
        {
            error = Parse(body, request);
        }
        catch (JsonException ex)
        {
            error = OpenAiError.InvalidRequest(
                $"We could not parse the JSON body of your request ({Describe(ex)}). The OpenAI API expects a JSON payload.");
        }
        catch (InvalidOperationException)
        {
            error = OpenAiError.InvalidRequest("We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.");
        }
        return error is null;
    }

    private static string Describe(JsonException ex) =>
        ex.LineNumber is { } line ? $"line {line + 1}, position {ex.BytePositionInLine + 1}" : "malformed JSON";

    private static OpenAiError? Parse(ReadOnlySpan<byte> body, ModelRequest request)
    {
        if (body.IsEmpty)
        {
            return OpenAiError.InvalidRequest("The request body is empty. The OpenAI API expects a JSON payload.");
        }
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return OpenAiError.InvalidRequest("The request body must be a JSON object.");
        }
        var allowed = RequestParameters.For(request.Endpoint);
        var prompt = new StringBuilder();
        ulong seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Names are compared as UTF-8 bytes: no string per property on the hot path.
            var index = allowed.IndexOf(ref reader);
            if (index < 0)
            {
                var name = reader.GetString()!;
                request.UnknownParameters ??= [];
                if (request.UnknownParameters.Contains(name))
                {
                    return Duplicate(name);
                }
                request.UnknownParameters.Add(name);
                reader.Read();
                reader.Skip();
                continue;
            }
            var bit = 1UL << index;
            if ((seen & bit) != 0)
            {
                return Duplicate(allowed.Name(index));
            }
            seen |= bit;
            reader.Read();
            var error = ReadField(ref reader, allowed.Kind(index), request, prompt);
            if (error is not null)
            {
                return error;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return OpenAiError.InvalidRequest("The request body must be a JSON object.");
        }
        // Anything after the top-level object is malformed input.
        if (reader.Read())
        {
            return OpenAiError.InvalidRequest("Unexpected data after the JSON object.");
        }
        if (request.ModelValue.IsEmpty)
        {
            return OpenAiError.InvalidRequest("You must provide a model parameter.", "model");
        }
        switch (request.Endpoint)
        {
            case ModelEndpoint.ChatCompletions when request.MessageCount == 0:
                return OpenAiError.InvalidRequest("Missing required parameter: 'messages'.", "messages");
            case ModelEndpoint.Completions when (seen & allowed.BitOf(FieldKind.Prompt)) == 0:
                return OpenAiError.InvalidRequest("Missing required parameter: 'prompt'.", "prompt");
            case ModelEndpoint.Embeddings when (seen & allowed.BitOf(FieldKind.Input)) == 0:
                return OpenAiError.InvalidRequest("Missing required parameter: 'input'.", "input");
            case ModelEndpoint.Embeddings when request.Stream:
                return OpenAiError.InvalidRequest("Embeddings cannot be streamed.", "stream");
        }
        if (request.BestOf is { } bestOf && bestOf < request.N)
        {
            return OpenAiError.InvalidRequest("'best_of' must be greater than or equal to 'n'.", "best_of");
        }
        request.PromptText = prompt.ToString();
        return null;
    }

    private static OpenAiError Duplicate(string name) =>
        OpenAiError.InvalidRequest($"The parameter '{name}' appears more than once in the request body.", name);

    private static OpenAiError? ReadField(ref Utf8JsonReader reader, FieldKind kind, ModelRequest request, StringBuilder prompt)
    {
        switch (kind)
        {
            case FieldKind.Model:
                return ReadModel(ref reader, request);
            case FieldKind.Stream:
            {
                var error = ReadBool(ref reader, "stream", out var stream);
                request.Stream = stream;
                return error;
            }
            case FieldKind.StreamOptions:
                return ReadStreamOptions(ref reader, request);
            case FieldKind.MaxTokens:
            {
                var error = ReadInt(ref reader, "max_tokens", 1, int.MaxValue, out var value);
                request.MaxTokens = value;
                return error;
            }
            case FieldKind.MaxCompletionTokens:
            {
                var error = ReadInt(ref reader, "max_completion_tokens", 1, int.MaxValue, out var value);
                request.MaxCompletionTokens = value;
                return error;
            }
            case FieldKind.N:
            {
                var error = ReadInt(ref reader, "n", 1, 128, out var n);
                request.N = n ?? 1;
                return error;
            }
            case FieldKind.BestOf:
            {
                var error = ReadInt(ref reader, "best_of", 1, 20, out var bestOf);
                request.BestOf = bestOf;
                return error;
            }
            case FieldKind.Temperature:
            {
                var error = ReadNumber(ref reader, "temperature", 0, 2, out var temperature);
                request.Temperature = temperature;
                return error;
            }
            case FieldKind.TopP:
                return ReadNumber(ref reader, "top_p", 0, 1, out _);
            case FieldKind.Logprobs:
                return ReadLogprobs(ref reader, request);
            case FieldKind.Messages:
                return ReadMessages(ref reader, request, prompt);
            case FieldKind.Prompt:
                return ReadPromptOrInput(ref reader, request, prompt, "prompt");
            case FieldKind.Input:
                return ReadPromptOrInput(ref reader, request, prompt, "input");
            case FieldKind.Dimensions:
                return ReadInt(ref reader, "dimensions", 1, 65536, out _);
            case FieldKind.EncodingFormat:
                return reader.TokenType == JsonTokenType.Null
                    || (reader.TokenType == JsonTokenType.String && (reader.ValueTextEquals("float"u8) || reader.ValueTextEquals("base64"u8)))
                    ? null
                    : OpenAiError.InvalidRequest("'encoding_format' must be 'float' or 'base64'.", "encoding_format");
            case FieldKind.Counted:
                // Tools, functions, response formats: the upstream renders them into the prompt, so they cost tokens.
                request.PromptBytes += SkipMeasured(ref reader);
                return null;
            default:
                reader.Skip();
                return null;
        }
    }

    /// <summary>Skips the current value and returns how many bytes it spans.</summary>
    private static long SkipMeasured(ref Utf8JsonReader reader)
    {
        var start = reader.TokenStartIndex;
        reader.Skip();
        return reader.BytesConsumed - start;
    }

    private static OpenAiError? ReadModel(ref Utf8JsonReader reader, ModelRequest request)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return TypeError("model", "a string", reader.TokenType);
        }
        var model = reader.GetString()!;
        if (model.Length == 0 || model.Length > 256)
        {
            return OpenAiError.InvalidRequest("'model' must be a non-empty string of at most 256 characters.", "model");
        }
        request.Model = model;
        request.ModelValue = new BodyRange(checked((int)reader.TokenStartIndex), checked((int)(reader.BytesConsumed - reader.TokenStartIndex)));
        return null;
    }

    private static OpenAiError? ReadBool(ref Utf8JsonReader reader, string name, out bool value)
    {
        value = false;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
        {
            return TypeError(name, "a boolean", reader.TokenType);
        }
        value = reader.GetBoolean();
        return null;
    }

    private static OpenAiError? ReadStreamOptions(ref Utf8JsonReader reader, ModelRequest request)
    {
        var start = checked((int)reader.TokenStartIndex);
        if (reader.TokenType == JsonTokenType.Null)
        {
            request.StreamOptionsValue = new BodyRange(start, checked((int)reader.BytesConsumed) - start);
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return TypeError("stream_options", "an object", reader.TokenType);
        }
        var sawIncludeUsage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (isIncludeUsage)
            {
                if (sawIncludeUsage)
                {
                    return Duplicate("stream_options.include_usage");
                }
                sawIncludeUsage = true;
                var error = ReadBool(ref reader, "stream_options.include_usage", out var includeUsage);
                if (error is not null)
                {
                    return error;
                }
                request.ClientIncludeUsage = includeUsage;
            }
            else
            {
                reader.Skip();
            }
        }
        request.StreamOptionsValue = new BodyRange(start, checked((int)reader.BytesConsumed) - start);
        return null;
    }

    private static OpenAiError? ReadInt(ref Utf8JsonReader reader, string name, int min, int max, out int? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var number))
        {
            return reader.TokenType == JsonTokenType.Number
                ? OpenAiError.InvalidRequest($"'{name}' must be an integer.", name)
                : TypeError(name, "an integer", reader.TokenType);
        }
        if (number < min || number > max)
        {
            return OpenAiError.InvalidRequest($"'{name}' must be between {min} and {max}; got {number}.", name);
        }
        value = (int)number;
        return null;
    }

    private static OpenAiError? ReadNumber(ref Utf8JsonReader reader, string name, double min, double max, out double? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.Number)
        {
            return TypeError(name, "a number", reader.TokenType);
        }
        var number = reader.GetDouble();
        if (double.IsNaN(number) || number < min || number > max)
        {
            return OpenAiError.InvalidRequest($"'{name}' must be between {min} and {max}.", name);
        }
        value = number;
        return null;
    }

    private static OpenAiError? ReadLogprobs(ref Utf8JsonReader reader, ModelRequest request)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.True or JsonTokenType.False:
                request.Logprobs = reader.GetBoolean();
                return null;
            case JsonTokenType.Number when request.Endpoint == ModelEndpoint.Completions && reader.TryGetInt32(out var count) && count is >= 0 and <= 20:
                request.Logprobs = count > 0;
                return null;
            default:
                return request.Endpoint == ModelEndpoint.Completions
                    ? OpenAiError.InvalidRequest("'logprobs' must be an integer between 0 and 20.", "logprobs")
                    : TypeError("logprobs", "a boolean", reader.TokenType);
        }
    }

    private static OpenAiError? ReadMessages(ref Utf8JsonReader reader, ModelRequest request, StringBuilder prompt)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return TypeError("messages", "an array", reader.TokenType);
        }
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return TypeError(MessageParam(index), "an object", reader.TokenType);
            }
            string? role = null;
            string? content = null;
            var sawContent = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isRole = reader.ValueTextEquals("role"u8);
                var isContent = !isRole && reader.ValueTextEquals("content"u8);
                reader.Read();
                if (isRole)
                {
                    if (role is not null)
                    {
                        return Duplicate(MessageParam(index) + ".role");
                    }
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return TypeError(MessageParam(index) + ".role", "a string", reader.TokenType);
                    }
                    role = KnownRole(ref reader);
                    if (role is null)
                    {
                        var given = reader.GetString();
                        return OpenAiError.InvalidRequest(
                            $"Invalid value for '{MessageParam(index)}.role': '{given}'. Supported values are: {string.Join(", ", ChatRoles)}.",
                            MessageParam(index) + ".role");
                    }
                }
                else if (isContent)
                {
                    if (sawContent)
                    {
                        return Duplicate(MessageParam(index) + ".content");
                    }
                    sawContent = true;
                    var contentError = ReadContent(ref reader, request, index, out content);
                    if (contentError is not null)
                    {
                        return contentError;
                    }
                }
                else
                {
                    // name, tool_calls, function_call, tool_call_id: rendered into the prompt by the model server.
                    request.PromptBytes += SkipMeasured(ref reader);
                }
            }
            if (role is null)
            {
                var param = MessageParam(index) + ".role";
                return OpenAiError.InvalidRequest($"Missing required parameter: '{param}'.", param);
            }
            if (!sawContent && role is "user" or "system" or "developer")
            {
                var param = MessageParam(index) + ".content";
                return OpenAiError.InvalidRequest($"Missing required parameter: '{param}'.", param);
            }
            if (content is not null)
            {
                if (prompt.Length > 0)
                {
                    prompt.Append('\n');
                }
                prompt.Append(content);
                if (role is "system" or "developer")
                {
                    request.SystemPrompt = content;
                }
                else if (role == "user")
                {
                    request.PriorUserPrompt = request.LastUserPrompt;
                    request.LastUserPrompt = content;
                }
                else if (role == "assistant" && content.Length > 0)
                {
                    request.LastAssistantText = content;
                }
            }
            index++;
        }
        if (index == 0)
        {
            return OpenAiError.InvalidRequest("'messages' must contain at least one message.", "messages");
        }
        request.MessageCount = index;
        return null;
    }

    private static string MessageParam(int index) => $"messages[{index}]";

    /// <summary>The interned role name, or null when it is not a chat role.</summary>
    private static string? KnownRole(ref Utf8JsonReader reader)
    {
        foreach (var role in ChatRoles)
        {
            if (reader.ValueTextEquals(role))
            {
                return role;
            }
        }
        return null;
    }

    /// <summary>
    /// Content is a string, null, or an array of parts. Text parts are collected; every other part is media the
    /// upstream charges for, and any URL in it that is not a data: URL is a remote fetch by the model server.
    /// </summary>
    private static OpenAiError? ReadContent(ref Utf8JsonReader reader, ModelRequest request, int messageIndex, out string? content)
    {
        content = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                request.PromptBytes += reader.ValueSpan.Length;
                content = reader.GetString();
                return null;
            case JsonTokenType.StartArray:
                var text = new StringBuilder();
                var part = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return TypeError($"{MessageParam(messageIndex)}.content[{part}]", "an object", reader.TokenType);
                    }
                    var isText = true;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("text"u8))
                        {
                            reader.Read();
                            if (reader.TokenType == JsonTokenType.String)
                            {
                                request.PromptBytes += reader.ValueSpan.Length;
                                if (text.Length > 0)
                                {
                                    text.Append('\n');
                                }
                                text.Append(reader.GetString());
                            }
                            else
                            {
                                request.PromptBytes += SkipMeasured(ref reader);
                            }
                        }
                        else if (reader.ValueTextEquals("type"u8))
                        {
                            reader.Read();
                            isText &= reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("text"u8);
                            reader.Skip();
                        }
                        else
                        {
                            // image_url, input_audio, file, …: media, and possibly a URL for the model server to fetch.
                            isText = false;
                            reader.Read();
                            ScanMedia(ref reader, request);
                        }
                    }
                    if (!isText)
                    {
                        request.MediaParts++;
                    }
                    part++;
                }
                content = text.ToString();
                return null;
            default:
                return TypeError(MessageParam(messageIndex) + ".content", "a string or an array of content parts", reader.TokenType);
        }
    }

    /// <summary>Walks a media value: any string that looks like a non-data URL marks the request as fetching remotely.</summary>
    private static void ScanMedia(ref Utf8JsonReader reader, ModelRequest request)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            request.HasRemoteMedia |= reader.TokenType == JsonTokenType.String && IsRemoteUrl(ref reader);
            return;
        }
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == depth))
        {
            request.HasRemoteMedia |= reader.TokenType == JsonTokenType.String && IsRemoteUrl(ref reader);
        }
    }

    private static bool IsRemoteUrl(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            var value = reader.GetString()!;
            return value.Contains("://", StringComparison.Ordinal) && !value.StartsWith("data:", StringComparison.OrdinalIgnoreCase);
        }
        var span = reader.ValueSpan;
        return span.IndexOf("://"u8) >= 0 && !(span.Length >= 5 && Ascii.EqualsIgnoreCase(span[..5], "data:"u8));
    }

    /// <summary>A completion prompt or an embedding input: string, array of strings, token array, or array of token arrays.</summary>
    private static OpenAiError? ReadPromptOrInput(ref Utf8JsonReader reader, ModelRequest request, StringBuilder prompt, string param)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                request.PromptBytes += reader.ValueSpan.Length;
                prompt.Append(reader.GetString());
                request.LastUserPrompt = reader.GetString();
                request.PromptCount = 1;
                return null;
            case JsonTokenType.StartArray:
                var count = 0;
                var sawTokenIds = false;
                var prompts = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.String:
                            request.PromptBytes += reader.ValueSpan.Length;
                            if (prompt.Length > 0)
                            {
                                prompt.Append('\n');
                            }
                            var item = reader.GetString();
                            prompt.Append(item);
                            request.LastUserPrompt = item;
                            prompts++;
                            break;
                        case JsonTokenType.Number when reader.TryGetInt32(out _):
                            request.PromptTokenIds++;
                            sawTokenIds = true;
                            break;
                        case JsonTokenType.StartArray:
                            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                            {
                                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out _))
                                {
                                    return OpenAiError.InvalidRequest($"'{param}' token arrays must hold integers.", param);
                                }
                                request.PromptTokenIds++;
                            }
                            prompts++;
                            break;
                        default:
                            return TypeError($"{param}[{count}]", "a string or a token array", reader.TokenType);
                    }
                    count++;
                }
                if (count == 0)
                {
                    return OpenAiError.InvalidRequest($"'{param}' must not be empty.", param);
                }
                if (param == "input" && count > 2048)
                {
                    return OpenAiError.InvalidRequest("'input' may hold at most 2048 items.", param);
                }
                // A flat token array is one prompt; an array of strings or of token arrays is one prompt each.
                request.PromptCount = Math.Max(1, prompts + (sawTokenIds ? 1 : 0));
                return null;
            default:
                return TypeError(param, "a string or an array", reader.TokenType);
        }
    }

    private static OpenAiError TypeError(string param, string expected, JsonTokenType actual) =>
        OpenAiError.InvalidRequest($"Invalid type for '{param}': expected {expected}, but got {Describe(actual)}.", param);

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        _ => "an unexpected token",
    };
}
