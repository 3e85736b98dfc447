using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Moat.FakeUpstream.Wire;

/// <summary>The one writer of OpenAI's error shape <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal static class OpenAiErrorWriter
{
    public static Task WriteAsync(HttpContext context, int status, string message, string type, string? param = null, string? code = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers.RetryAfter = "1";
        }

        using (var json = new Utf8JsonWriter(response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("message", message);
            json.WriteString("type", type);
            WriteStringOrNull(json, "param", param);
            WriteStringOrNull(json, "code", code);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return response.BodyWriter.FlushAsync(context.RequestAborted).AsTask();
    }

    public static Task InvalidRequestAsync(HttpContext context, string message, string? param = null) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, message, "invalid_request_error", param);

    public static Task MalformedJsonAsync(HttpContext context) =>
        InvalidRequestAsync(context, "We could not parse the JSON body of your request. The fake upstream expects a JSON object.");

    /// <summary>An injected failure, typed the way OpenAI types that status.</summary>
    public static Task InjectedAsync(HttpContext context, int status)
    {
        var (type, code) = status switch
        {
            401 => ("invalid_request_error", "invalid_api_key"),
            403 => ("permission_error", (string?)null),
            404 => ("invalid_request_error", "model_not_found"),
            429 => ("requests", "rate_limit_exceeded"),
            503 => ("server_error", "service_unavailable"),
            >= 500 => ("server_error", null),
            _ => ("invalid_request_error", null),
        };
        return WriteAsync(context, status, $"Injected failure: the fake upstream answered {status}.", type, code: code);
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
