using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Moat.FakeUpstream.Wire;

/// <summary>Reads a request body as JSON, answering 400 in OpenAI's shape when it is not.</summary>
internal static class JsonBody
{
    /// <summary>The parsed body, or null once a 400 has been written.</summary>
    public static async Task<JsonDocument?> ReadAsync(HttpContext context)
    {
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException)
        {
            await OpenAiErrorWriter.MalformedJsonAsync(context);
            return null;
        }
    }
}
