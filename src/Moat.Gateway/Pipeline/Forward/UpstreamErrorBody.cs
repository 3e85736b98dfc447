using System.Text.Json;
using Moat.Core.Errors;
using Moat.Gateway.Errors;

namespace Moat.Gateway.Pipeline.Forward;

/// <summary>
/// A model server's refusal (4xx) in OpenAI's error shape. Servers differ (vLLM answers
/// <c>{"object":"error","message":…,"code":400}</c>, others plain text); customers' SDKs expect
/// <c>{"error":{message,type,param,code}}</c> with a string code, so the gateway rewrites what it relays.
/// </summary>
internal static class UpstreamErrorBody
{
    public static OpenAiError Read(ReadOnlySpan<byte> payload, int status)
    {
        string? message = null, type = null, param = null, code = null;
        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            var root = document.RootElement;
            var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : root;
            if (error.ValueKind == JsonValueKind.Object)
            {
                message = Text(error, "message") ?? Text(error, "detail");
                type = Text(error, "type");
                param = Text(error, "param");
                code = Text(error, "code");
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not JSON, or text that does not decode: the status says enough.
            message = type = param = code = null;
        }
        message ??= $"The model server refused the request (HTTP {status}).";
        type ??= "invalid_request_error";
        code ??= status switch
        {
            404 => "model_not_found",
            413 => "request_too_large",
            429 => "rate_limit_exceeded",
            _ => "invalid_request_error",
        };
        return new OpenAiError(status, code, type, message.Length > 2000 ? message[..2000] : message, param);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
