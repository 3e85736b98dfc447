using System.Buffers;
using System.Text.Json;

namespace Moat.Core.Errors;

/// <summary>One error of the OpenAI shape: <c>{"error":{"message","type","param","code"}}</c>.</summary>
/// <remarks>
/// The shape is defined here once, without ASP.NET; each HTTP surface (the model API in Moat.Gateway, the admin and
/// portal APIs in Moat.Admin) writes it to a response with its own small adapter over <see cref="WriteJson"/>.
/// Factories here are the ones more than one surface answers with; surface-only errors live beside the surface
/// (<c>ModelApiErrors</c>, <c>AdminErrors</c>).
/// </remarks>
public sealed record OpenAiError(int Status, string Code, string Type, string Message, string? Param = null)
{
    /// <summary>The media type every surface answers an error with.</summary>
    public const string ContentType = "application/json; charset=utf-8";

    public static OpenAiError InvalidRequest(string message, string? param = null) =>
        new(400, "invalid_request_error", "invalid_request_error", message, param);

    public static OpenAiError RequestTooLarge(long maxBytes) =>
        new(413, "request_too_large", "invalid_request_error", $"The request body exceeds the limit of {maxBytes} bytes.");

    public static OpenAiError RateLimited(string message) =>
        new(429, "rate_limit_exceeded", "requests", message);

    public static OpenAiError NotFound(string path) =>
        new(404, "not_found", "invalid_request_error", $"Unknown route '{path}'.");

    public static OpenAiError Internal() =>
        new(500, "internal_error", "server_error", "The gateway failed unexpectedly. The request id identifies it in the logs.");

    /// <summary>The <c>Retry-After</c> value for <paramref name="delay"/>: whole seconds, at least one (a client that
    /// retries at once would only be refused again).</summary>
    public static string RetryAfterSeconds(TimeSpan delay) =>
        Math.Max(1, (long)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes the error's JSON body (UTF-8) to <paramref name="output"/>.</summary>
    public void WriteJson(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", Message);
        writer.WriteString("type", Type);
        if (Param is null)
        {
            writer.WriteNull("param");
        }
        else
        {
            writer.WriteString("param", Param);
        }
        writer.WriteString("code", Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The error's JSON body as UTF-8 bytes.</summary>
    public byte[] ToUtf8Json()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteJson(buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
