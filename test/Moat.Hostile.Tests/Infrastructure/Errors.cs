using System.Text.Json;

namespace Moat.Hostile.Tests.Infrastructure;

/// <summary>The OpenAI error shape, as a customer's SDK expects it.</summary>
public static class Errors
{
    /// <summary>Asserts <c>{"error":{"message","type","param","code"}}</c> with a non-empty message and code; returns the code.</summary>
    public static string AssertShape(string body)
    {
        Assert.False(string.IsNullOrWhiteSpace(body), "error body is empty (expected the OpenAI error shape)");
        var problem = ShapeProblem(body);
        Assert.True(problem is null, $"not the OpenAI error shape ({problem}): {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("error").GetProperty("code").GetString()!;
    }

    /// <summary>Non-throwing form for the fuzzer: null when the body is a well-formed OpenAI error, else why not.</summary>
    public static string? ShapeProblem(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return "no error object";
            }
            if (!error.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(message.GetString()))
            {
                return "no message";
            }
            if (!error.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return "no type";
            }
            if (!error.TryGetProperty("param", out _))
            {
                return "no param";
            }
            if (!error.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(code.GetString()))
            {
                return "no code";
            }
            return body.Contains("   at ", StringComparison.Ordinal) ? "stack trace" : null;
        }
        catch (JsonException)
        {
            return "not JSON";
        }
    }

    public static string? Param(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var param = doc.RootElement.GetProperty("error").GetProperty("param");
        return param.ValueKind == JsonValueKind.String ? param.GetString() : null;
    }

    public static string Message(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("error").GetProperty("message").GetString() ?? "";
    }
}
