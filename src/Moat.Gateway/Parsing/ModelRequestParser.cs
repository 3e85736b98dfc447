using System.Text;
using System.Text.Json;
using Moat.Gateway.Errors;

namespace Moat.Gateway.Parsing;

/// <summary>
/// Validates a model API body and extracts the fields the gateway needs with <see cref="Utf8JsonReader"/>.
/// Unknown fields are skipped and forwarded untouched; wrong types of known fields are rejected with the
/// OpenAI error shape, naming the parameter.
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
        var prompt = new StringBuilder();
        var sawModel = false;
        var sawMessages = false;
        var sawPrompt = false;
        var sawInput = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Names are compared as UTF-8 bytes: no string per property on the hot path.
            var field = Classify(ref reader, request.Endpoint);
            reader.Read();
            OpenAiError? error;
            switch (field)
            {
                case Field.Model:
                    error = ReadModel(ref reader, request, ref sawModel);
                    break;
                case Field.Stream:
                    error = ReadBool(ref reader, "stream", out var stream);
                    request.Stream = stream;
                    break;
                case Field.StreamOptions:
                    error = ReadStreamOptions(ref reader, request);
                    break;
                case Field.MaxTokens:
                case Field.MaxCompletionTokens:
                    error = ReadInt(ref reader, field == Field.MaxTokens ? "max_tokens" : "max_completion_tokens", 1, int.MaxValue, out var maxTokens);
                    request.MaxTokens = maxTokens ?? request.MaxTokens;
                    break;
                case Field.N:
                    error = ReadInt(ref reader, "n", 1, 128, out var n);
                    request.N = n ?? request.N;
                    break;
                case Field.Temperature:
                    error = ReadNumber(ref reader, "temperature", 0, 2, out var temperature);
                    request.Temperature = temperature ?? request.Temperature;
                    break;
                case Field.TopP:
                    error = ReadNumber(ref reader, "top_p", 0, 1, out _);
                    break;
                case Field.Logprobs:
                    error = ReadLogprobs(ref reader, request);
                    break;
                case Field.Messages:
                    error = ReadMessages(ref reader, request, prompt, ref sawMessages);
                    break;
                case Field.Prompt:
                    error = ReadPromptOrInput(ref reader, request, prompt, "prompt", ref sawPrompt);
                    break;
                case Field.Input:
                    error = ReadPromptOrInput(ref reader, request, prompt, "input", ref sawInput);
                    break;
                default:
                    reader.Skip();
                    error = null;
                    break;
            }
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
        if (!sawModel)
        {
            return OpenAiError.InvalidRequest("You must provide a model parameter.", "model");
        }
        switch (request.Endpoint)
        {
            case ModelEndpoint.ChatCompletions when !sawMessages:
                return OpenAiError.InvalidRequest("Missing required parameter: 'messages'.", "messages");
            case ModelEndpoint.Completions when !sawPrompt:
                return OpenAiError.InvalidRequest("Missing required parameter: 'prompt'.", "prompt");
            case ModelEndpoint.Embeddings when !sawInput:
                return OpenAiError.InvalidRequest("Missing required parameter: 'input'.", "input");
            case ModelEndpoint.Embeddings when request.Stream:
                return OpenAiError.InvalidRequest("Embeddings cannot be streamed.", "stream");
        }
        request.PromptText = prompt.ToString();
        return null;
    }

    private enum Field
    {
        Other,
        Model,
        Stream,
        StreamOptions,
        MaxTokens,
        MaxCompletionTokens,
        N,
        Temperature,
        TopP,
        Logprobs,
        Messages,
        Prompt,
        Input,
    }

    private static Field Classify(ref Utf8JsonReader reader, ModelEndpoint endpoint)
    {
        if (reader.ValueTextEquals("model"u8)) return Field.Model;
        if (reader.ValueTextEquals("messages"u8)) return endpoint == ModelEndpoint.ChatCompletions ? Field.Messages : Field.Other;
        if (reader.ValueTextEquals("stream"u8)) return Field.Stream;
        if (reader.ValueTextEquals("max_tokens"u8)) return Field.MaxTokens;
        if (reader.ValueTextEquals("temperature"u8)) return Field.Temperature;
        if (reader.ValueTextEquals("n"u8)) return Field.N;
        if (reader.ValueTextEquals("stream_options"u8)) return Field.StreamOptions;
        if (reader.ValueTextEquals("max_completion_tokens"u8)) return Field.MaxCompletionTokens;
        if (reader.ValueTextEquals("top_p"u8)) return Field.TopP;
        if (reader.ValueTextEquals("logprobs"u8)) return Field.Logprobs;
        if (reader.ValueTextEquals("prompt"u8)) return endpoint == ModelEndpoint.Completions ? Field.Prompt : Field.Other;
        if (reader.ValueTextEquals("input"u8)) return endpoint == ModelEndpoint.Embeddings ? Field.Input : Field.Other;
        return Field.Other;
    }

    private static OpenAiError? ReadModel(ref Utf8JsonReader reader, ModelRequest request, ref bool sawModel)
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
        sawModel = true;
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
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return TypeError("stream_options", "an object", reader.TokenType);
        }
        request.HasStreamOptions = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (isIncludeUsage)
            {
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

    private static OpenAiError? ReadMessages(ref Utf8JsonReader reader, ModelRequest request, StringBuilder prompt, ref bool sawMessages)
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
                    sawContent = true;
                    var contentError = ReadContent(ref reader, index, out content);
                    if (contentError is not null)
                    {
                        return contentError;
                    }
                }
                else
                {
                    reader.Skip();
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
                    request.LastUserPrompt = content;
                }
            }
            index++;
        }
        if (index == 0)
        {
            return OpenAiError.InvalidRequest("'messages' must contain at least one message.", "messages");
        }
        request.MessageCount = index;
        sawMessages = true;
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

    /// <summary>Content is a string, null, or an array of parts whose text parts are collected.</summary>
    private static OpenAiError? ReadContent(ref Utf8JsonReader reader, int messageIndex, out string? content)
    {
        content = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
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
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isText = reader.ValueTextEquals("text"u8);
                        reader.Read();
                        if (isText && reader.TokenType == JsonTokenType.String)
                        {
                            if (text.Length > 0)
                            {
                                text.Append('\n');
                            }
                            text.Append(reader.GetString());
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                    part++;
                }
                content = text.ToString();
                return null;
            default:
                return TypeError(MessageParam(messageIndex) + ".content", "a string or an array of content parts", reader.TokenType);
        }
    }

    /// <summary>A completion prompt or an embedding input: string, array of strings, token array, or array of token arrays.</summary>
    private static OpenAiError? ReadPromptOrInput(ref Utf8JsonReader reader, ModelRequest request, StringBuilder prompt, string param, ref bool seen)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                prompt.Append(reader.GetString());
                request.LastUserPrompt = reader.GetString();
                seen = true;
                return null;
            case JsonTokenType.StartArray:
                var count = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.String:
                            if (prompt.Length > 0)
                            {
                                prompt.Append('\n');
                            }
                            var item = reader.GetString();
                            prompt.Append(item);
                            request.LastUserPrompt = item;
                            break;
                        case JsonTokenType.Number when reader.TryGetInt32(out _):
                            request.PromptTokenIds++;
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
                seen = true;
                return null;
            default:
                return TypeError(param, "a string or an array", reader.TokenType);
        }
    }

    private static OpenAiError? SkipValue(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
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
