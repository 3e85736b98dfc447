using System.Text;
using System.Text.Json;
using Moat.FakeUpstream.Text;

namespace Moat.FakeUpstream.Wire;

/// <summary>
/// Reads chat and legacy completion bodies. Prompt text, which prompt_tokens counts, is:
/// for chat, the text of each message that has any (a string <c>content</c>, or its
/// <c>text</c> parts concatenated), joined with "\n", followed by the JSON of <c>tools</c> and
/// <c>functions</c> when present (a real server renders them into the prompt); roles, names and
/// per-message framing tokens are not counted. For legacy completions it is each prompt string, or the
/// number of ids for a token-id prompt.
/// </summary>
internal sealed class CompletionRequestReader(TokenCounter tokens)
{
    private const int MaxChoices = 128;

    public CompletionRequest? ReadChat(JsonElement body, out RequestProblem? problem)
    {
        if (!ReadCommon(body, out var model, out var n, out var maxTokens, out var stream, out var includeUsage, out problem))
        {
            return null;
        }

        if (!body.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            problem = new("'messages' must be a non-empty array of messages.", "messages");
            return null;
        }

        var hash = new PromptHash();
        hash.Add(model);
        string? single = null;
        StringBuilder? joined = null;
        string? lastUser = null;
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object
                || !message.TryGetProperty("role", out var roleElement) || roleElement.ValueKind != JsonValueKind.String)
            {
                problem = new($"messages[{index}] must be an object with a string 'role'.", $"messages[{index}]");
                return null;
            }

            var role = roleElement.GetString()!;
            var content = message.TryGetProperty("content", out var contentElement) ? ContentText(contentElement) : null;
            if (content is null && contentElement.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                problem = new($"messages[{index}].content must be a string or an array of content parts.", $"messages[{index}].content");
                return null;
            }

            hash.Add(role);
            hash.Add(content ?? string.Empty);
            if (role == "user")
            {
                lastUser = content;
            }

            // Most requests carry one message; only build a joined string when there are several.
            if (!string.IsNullOrEmpty(content))
            {
                if (single is null && joined is null)
                {
                    single = content;
                }
                else
                {
                    joined ??= new StringBuilder(single);
                    joined.Append('\n').Append(content);
                }
            }

            index++;
        }

        var promptText = joined?.ToString() ?? single ?? string.Empty;
        foreach (var rendered in (ReadOnlySpan<string>)["tools", "functions"])
        {
            if (body.TryGetProperty(rendered, out var definitions) && definitions.ValueKind == JsonValueKind.Array)
            {
                var raw = definitions.GetRawText();
                hash.Add(raw);
                promptText = promptText.Length == 0 ? raw : promptText + "\n" + raw;
            }
        }

        return new CompletionRequest
        {
            Flavor = CompletionFlavor.Chat,
            Model = model,
            Prompts = [new PromptInput(hash.Value, promptText, null, lastUser)],
            N = n,
            MaxTokens = maxTokens,
            Stream = stream,
            IncludeUsage = includeUsage,
        };
    }

    public CompletionRequest? ReadText(JsonElement body, out RequestProblem? problem)
    {
        if (!ReadCommon(body, out var model, out var n, out var maxTokens, out var stream, out var includeUsage, out problem))
        {
            return null;
        }

        if (!body.TryGetProperty("prompt", out var prompt))
        {
            problem = new("'prompt' is required.", "prompt");
            return null;
        }

        var prompts = new List<PromptInput>(1);
        switch (prompt.ValueKind)
        {
            case JsonValueKind.String:
                prompts.Add(TextPrompt(model, prompt.GetString()!));
                break;
            case JsonValueKind.Array when prompt.GetArrayLength() > 0 && prompt[0].ValueKind == JsonValueKind.Number:
                if (TokenPrompt(model, prompt) is not { } single)
                {
                    problem = new("'prompt' token ids must be non-negative integers.", "prompt");
                    return null;
                }

                prompts.Add(single);
                break;
            case JsonValueKind.Array when prompt.GetArrayLength() > 0:
                foreach (var item in prompt.EnumerateArray())
                {
                    PromptInput? next = item.ValueKind switch
                    {
                        JsonValueKind.String => TextPrompt(model, item.GetString()!),
                        JsonValueKind.Array => TokenPrompt(model, item),
                        _ => null,
                    };
                    if (next is null)
                    {
                        problem = new("'prompt' must be a string, an array of strings, or token ids.", "prompt");
                        return null;
                    }

                    prompts.Add(next.Value);
                }

                break;
            default:
                problem = new("'prompt' must be a string, an array of strings, or token ids.", "prompt");
                return null;
        }

        if (prompts.Count * n > MaxChoices)
        {
            problem = new($"The number of prompts times 'n' must not exceed {MaxChoices}.", "n");
            return null;
        }

        return new CompletionRequest
        {
            Flavor = CompletionFlavor.Text,
            Model = model,
            Prompts = prompts,
            N = n,
            MaxTokens = maxTokens,
            Stream = stream,
            IncludeUsage = includeUsage,
        };
    }

    private static bool ReadCommon(
        JsonElement body, out string model, out int n, out int? maxTokens, out bool stream, out bool includeUsage, out RequestProblem? problem)
    {
        model = string.Empty;
        n = 1;
        maxTokens = null;
        stream = false;
        includeUsage = false;
        problem = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            problem = new("The request body must be a JSON object.", null);
            return false;
        }

        if (!body.TryGetProperty("model", out var modelElement) || modelElement.ValueKind != JsonValueKind.String
            || modelElement.GetString() is not { Length: > 0 } modelName)
        {
            problem = new("You must provide a model parameter.", "model");
            return false;
        }

        model = modelName;
        if (body.TryGetProperty("n", out var nElement) && nElement.ValueKind != JsonValueKind.Null)
        {
            if (!JsonNumbers.TryInt32(nElement, out n) || n is < 1 or > MaxChoices)
            {
                problem = new($"'n' must be an integer between 1 and {MaxChoices}.", "n");
                return false;
            }
        }

        // max_completion_tokens supersedes max_tokens on chat; legacy completions only know max_tokens.
        foreach (var name in (ReadOnlySpan<string>)["max_completion_tokens", "max_tokens"])
        {
            if (body.TryGetProperty(name, out var limit) && limit.ValueKind != JsonValueKind.Null)
            {
                if (!JsonNumbers.TryInt32(limit, out var value) || value < 1)
                {
                    problem = new($"'{name}' must be a positive integer.", name);
                    return false;
                }

                maxTokens = value;
                break;
            }
        }

        if (body.TryGetProperty("stream", out var streamElement))
        {
            stream = streamElement.ValueKind == JsonValueKind.True;
        }

        if (body.TryGetProperty("stream_options", out var streamOptions) && streamOptions.ValueKind == JsonValueKind.Object
            && streamOptions.TryGetProperty("include_usage", out var usage))
        {
            includeUsage = usage.ValueKind == JsonValueKind.True;
        }

        return true;
    }

    private static PromptInput TextPrompt(string model, string text)
    {
        var hash = new PromptHash();
        hash.Add(model);
        hash.Add(text);
        return new PromptInput(hash.Value, text, null, text);
    }

    private PromptInput? TokenPrompt(string model, JsonElement ids)
    {
        var values = new List<int>(ids.GetArrayLength());
        var hash = new PromptHash();
        hash.Add(model);
        foreach (var id in ids.EnumerateArray())
        {
            if (!JsonNumbers.TryInt32(id, out var value) || value < 0)
            {
                return null;
            }

            hash.Add(value);
            values.Add(value);
        }

        string text;
        try
        {
            text = tokens.Decode(values);
        }
        catch (ArgumentException)
        {
            return null;
        }

        return new PromptInput(hash.Value, text, values.Count, text);
    }

    /// <summary>Text of a message content: the string itself, or the concatenated text parts.</summary>
    private static string? ContentText(JsonElement content)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString();
            case JsonValueKind.Array:
                var text = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var partText)
                        && partText.ValueKind == JsonValueKind.String)
                    {
                        text.Append(partText.GetString());
                    }
                }

                return text.ToString();
            default:
                return null;
        }
    }
}
