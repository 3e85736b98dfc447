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
            var name = reader.GetString()!;
            reader.Read();
            OpenAiError? error = name switch
            {
                "model" => ReadModel(ref reader, request, ref sawModel),
                "stream" => ReadBool(ref reader, name, out _, v => request.Stream = v),
                "stream_options" => ReadStreamOptions(ref reader, request),
                "max_tokens" or "max_completion_tokens" => ReadPositiveInt(ref reader, name, 1, int.MaxValue, v => request.MaxTokens = v),
                "n" => ReadPositiveInt(ref reader, name, 1, 128, v => request.N = v),
                "temperature" => ReadNumber(ref reader, name, 0, 2, v => request.Temperature = v),
                "top_p" => ReadNumber(ref reader, name, 0, 1, _ => { }),
                "logprobs" => ReadLogprobs(ref reader, request),
                "messages" when request.Endpoint == ModelEndpoint.ChatCompletions => ReadMessages(ref reader, request, prompt, ref sawMessages),
                "prompt" when request.Endpoint == ModelEndpoint.Completions => ReadPromptOrInput(ref reader, request, prompt, name, ref sawPrompt),
                "input" when request.Endpoint == ModelEndpoint.Embeddings => ReadPromptOrInput(ref reader, request, prompt, name, ref sawInput),
                _ => SkipValue(ref reader),
            };
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

    private static OpenAiError? ReadBool(ref Utf8JsonReader reader, string name, out bool value, Action<bool> set)
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
        set(value);
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
            var name = reader.GetString();
            reader.Read();
            if (name == "include_usage")
            {
                var error = ReadBool(ref reader, "stream_options.include_usage", out _, v => request.ClientIncludeUsage = v);
                if (error is not null)
                {
                    return error;
                }
            }
            else
            {
                reader.Skip();
            }
        }
        return null;
    }

    private static OpenAiError? ReadPositiveInt(ref Utf8JsonReader reader, string name, int min, int max, Action<int> set)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            return reader.TokenType == JsonTokenType.Number
                ? OpenAiError.InvalidRequest($"'{name}' must be an integer.", name)
                : TypeError(name, "an integer", reader.TokenType);
        }
        if (value < min || value > max)
        {
            return OpenAiError.InvalidRequest($"'{name}' must be between {min} and {max}; got {value}.", name);
        }
        set((int)value);
        return null;
    }

    private static OpenAiError? ReadNumber(ref Utf8JsonReader reader, string name, double min, double max, Action<double> set)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.Number)
        {
            return TypeError(name, "a number", reader.TokenType);
        }
        var value = reader.GetDouble();
        if (double.IsNaN(value) || value < min || value > max)
        {
            return OpenAiError.InvalidRequest($"'{name}' must be between {min} and {max}.", name);
        }
        set(value);
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
            var param = $"messages[{index}]";
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return TypeError(param, "an object", reader.TokenType);
            }
            string? role = null;
            string? content = null;
            var sawContent = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "role":
                        if (reader.TokenType != JsonTokenType.String)
                        {
                            return TypeError(param + ".role", "a string", reader.TokenType);
                        }
                        role = reader.GetString();
                        break;
                    case "content":
                        sawContent = true;
                        var contentError = ReadContent(ref reader, param + ".content", out content);
                        if (contentError is not null)
                        {
                            return contentError;
                        }
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            if (role is null)
            {
                return OpenAiError.InvalidRequest($"Missing required parameter: '{param}.role'.", param + ".role");
            }
            if (Array.IndexOf(ChatRoles, role) < 0)
            {
                return OpenAiError.InvalidRequest($"Invalid value for '{param}.role': '{role}'. Supported values are: {string.Join(", ", ChatRoles)}.", param + ".role");
            }
            if (!sawContent && role is "user" or "system" or "developer")
            {
                return OpenAiError.InvalidRequest($"Missing required parameter: '{param}.content'.", param + ".content");
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

    /// <summary>Content is a string, null, or an array of parts whose text parts are collected.</summary>
    private static OpenAiError? ReadContent(ref Utf8JsonReader reader, string param, out string? content)
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
                        return TypeError($"{param}[{part}]", "an object", reader.TokenType);
                    }
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var name = reader.GetString();
                        reader.Read();
                        if (name == "text" && reader.TokenType == JsonTokenType.String)
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
                return TypeError(param, "a string or an array of content parts", reader.TokenType);
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
