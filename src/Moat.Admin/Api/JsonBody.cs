using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Moat.Core.Errors;

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
    /// <remarks>
    /// The limit holds for chunked bodies too: Kestrel's per-request limit is lowered to <see cref="MaxBytes"/> before the
    /// first read, so a body that announces no length is cut off there (413) instead of being read and parsed. A body that
    /// cannot be read (malformed chunk framing, an absurd chunk size) is a 400, never a 500.
    /// </remarks>
    public static async Task<JsonDocument> ReadDocumentAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = EffectiveLimit(request);
        if (request.ContentLength > limit)
        {
            throw new AdminApiException(OpenAiError.RequestTooLarge(limit));
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
        catch (BadHttpRequestException unreadable)
        {
            throw new AdminApiException(RequestBodyErrors.From(unreadable, limit));
        }
        catch (IOException unreadable)
        {
            // Kestrel reports some framing errors as a bare IOException ("Bad chunk size data." for a chunk size that
            // overflows); the only I/O here is reading the request body, so it is the client's fault either way.
            throw new AdminApiException(RequestBodyErrors.Unreadable(unreadable));
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw AdminApiException.Invalid("The request body must be a JSON object.");
        }
        return document;
    }

    /// <summary>Lowers the server's per-request body limit to <see cref="MaxBytes"/> (never raises it) and returns it.</summary>
    private static long EffectiveLimit(HttpRequest request)
    {
        var feature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is null)
        {
            return MaxBytes;
        }
        if (feature.MaxRequestBodySize is null or > MaxBytes && !feature.IsReadOnly)
        {
            feature.MaxRequestBodySize = MaxBytes;
        }
        return feature.MaxRequestBodySize is { } max ? Math.Min(max, MaxBytes) : MaxBytes;
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
