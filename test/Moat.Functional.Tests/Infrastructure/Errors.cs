using System.ClientModel;
using System.Text.Json;

namespace Moat.Functional.Tests.Infrastructure;

/// <summary>Reads the OpenAI error shape from SDK exceptions and raw responses.</summary>
public static class Errors
{
    public static string Code(ClientResultException exception) => Code(exception.GetRawResponse()!.Content.ToString());

    public static string Code(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("error").GetProperty("code").GetString()!;
    }

    /// <summary>Asserts the body is exactly the OpenAI error shape and returns its code.</summary>
    public static string AssertShape(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("param", out _));
        Assert.Equal(JsonValueKind.String, error.GetProperty("code").ValueKind);
        Assert.DoesNotContain("   at ", body); // no stack trace
        return error.GetProperty("code").GetString()!;
    }
}
