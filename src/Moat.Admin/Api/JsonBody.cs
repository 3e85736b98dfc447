using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Moat.Admin.Api;

/// <summary>
/// Reads admin and portal request bodies. Parsing here rather than through parameter binding turns every malformed
/// body into a 400 in the OpenAI shape that names the offending field, never a 500 or an empty 400.
/// </summary>
public static class JsonBody
{
    public const long MaxBytes = 1024 * 1024;

    public static async Task<T> ReadAsync<T>(HttpRequest request) where T : class
    {
        var document = await ReadDocumentAsync(request).ConfigureAwait(false);
        using (document)
        {
            try
            {
                return document.RootElement.Deserialize<T>(AdminJson.Options)
                    ?? throw AdminApiException.Invalid("The request body must be a JSON object.");
            }
            catch (JsonException error)
            {
                var field = FieldOf(error.Path);
                throw AdminApiException.Invalid(
                    field is null ? "The request body has a value of the wrong type." : $"'{field}' has a value of the wrong type.", field);
            }
        }
    }

    /// <summary>The body as a JSON object (for PATCH-like bodies where an absent member differs from null).</summary>
    public static async Task<JsonDocument> ReadDocumentAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw AdminApiException.Invalid($"The request body exceeds {MaxBytes} bytes.");
        }
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            throw AdminApiException.Invalid("The request body is not valid JSON; send a JSON object.");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw AdminApiException.Invalid("The request body must be a JSON object.");
        }
        return document;
    }

    private static string? FieldOf(string? path)
    {
        // "$.expected_monthly_tokens" → "expected_monthly_tokens"
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
    }
}
