using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Moat.Gateway.Errors;

/// <summary>One error of the OpenAI shape: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public sealed record OpenAiError(int Status, string Code, string Type, string Message, string? Param = null)
{
    public static OpenAiError InvalidApiKey(string message = "Incorrect API key provided. Pass a valid key as 'Authorization: Bearer <key>'.") =>
        new(StatusCodes.Status401Unauthorized, "invalid_api_key", "invalid_request_error", message);

    public static OpenAiError AccessNotApproved() =>
        new(StatusCodes.Status403Forbidden, "access_not_approved", "permission_error", "Your organization's access has not been approved yet.");

    public static OpenAiError AccountSuspended() =>
        new(StatusCodes.Status403Forbidden, "account_suspended", "permission_error", "Your organization's access is suspended pending investigation. Contact the provider.");

    public static OpenAiError AccountTerminated() =>
        new(StatusCodes.Status403Forbidden, "account_terminated", "permission_error", "Your organization's access has been terminated.");

    public static OpenAiError ModelNotAllowed(string model) =>
        new(StatusCodes.Status403Forbidden, "model_not_allowed", "permission_error", $"Your organization's tier does not include the model '{model}'.", "model");

    public static OpenAiError ModelNotFound(string model) =>
        new(StatusCodes.Status404NotFound, "model_not_found", "invalid_request_error", $"The model '{model}' does not exist or you do not have access to it.", "model");

    public static OpenAiError InvalidRequest(string message, string? param = null) =>
        new(StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_request_error", message, param);

    public static OpenAiError RequestTooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "request_too_large", "invalid_request_error", $"The request body exceeds the limit of {maxBytes} bytes.");

    public static OpenAiError RateLimited(string message) =>
        new(StatusCodes.Status429TooManyRequests, "rate_limit_exceeded", "requests", message);

    public static OpenAiError TokensRateLimited(string message) =>
        new(StatusCodes.Status429TooManyRequests, "rate_limit_exceeded", "tokens", message);

    public static OpenAiError InsufficientQuota(string message) =>
        new(StatusCodes.Status429TooManyRequests, "insufficient_quota", "insufficient_quota", message);

    public static OpenAiError UpstreamError(string message = "The model server failed to answer. Try again.") =>
        new(StatusCodes.Status502BadGateway, "upstream_error", "server_error", message);

    public static OpenAiError UpstreamTimeout() =>
        new(StatusCodes.Status504GatewayTimeout, "upstream_timeout", "server_error", "The model server did not answer in time.");

    public static OpenAiError UnknownParameter(string name) =>
        new(StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_request_error", $"Unrecognized request argument supplied: {name}", name);

    public static OpenAiError RemoteMediaRefused(string model) =>
        new(StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_request_error",
            $"Content parts that point at remote URLs are not accepted for the model '{model}'; send the media inline as a data: URL.", "messages");

    public static OpenAiError KeyRevoked() =>
        new(StatusCodes.Status401Unauthorized, "invalid_api_key", "invalid_request_error", "The API key was revoked while the request was running.");

    public static OpenAiError UpstreamTooLarge(long maxBytes) =>
        new(StatusCodes.Status502BadGateway, "upstream_error", "server_error", $"The model server's answer exceeded the gateway's limit of {maxBytes} bytes.");

    public static OpenAiError NotFound(string path) =>
        new(StatusCodes.Status404NotFound, "not_found", "invalid_request_error", $"Unknown route '{path}'.");

    public static OpenAiError InvalidAdminToken() =>
        new(StatusCodes.Status401Unauthorized, "invalid_admin_token", "invalid_request_error", "Missing or invalid admin token. Pass it as 'Authorization: Bearer <admin token>'.");

    /// <summary>A named resource (organization, key, application, case) that does not exist.</summary>
    public static OpenAiError ResourceNotFound(string kind, string id) =>
        new(StatusCodes.Status404NotFound, "not_found", "invalid_request_error", $"No {kind} with id '{id}'.");

    public static OpenAiError IllegalTransition(string message) =>
        new(StatusCodes.Status409Conflict, "illegal_transition", "invalid_request_error", message);

    public static OpenAiError Conflict(string message) =>
        new(StatusCodes.Status409Conflict, "conflict", "invalid_request_error", message);

    public static OpenAiError Internal() =>
        new(StatusCodes.Status500InternalServerError, "internal_error", "server_error", "The gateway failed unexpectedly. The request id identifies it in the logs.");
}

/// <summary>The only place that writes the OpenAI error shape (model, portal and admin APIs alike).</summary>
public static class OpenAiErrorWriter
{
    public const string ContentType = "application/json; charset=utf-8";

    public static async Task WriteAsync(HttpContext context, OpenAiError error, TimeSpan? retryAfter = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }
        response.StatusCode = error.Status;
        response.ContentType = ContentType;
        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var bytes = Serialize(error);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    public static byte[] Serialize(OpenAiError error)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", error.Message);
            writer.WriteString("type", error.Type);
            if (error.Param is null)
            {
                writer.WriteNull("param");
            }
            else
            {
                writer.WriteString("param", error.Param);
            }
            writer.WriteString("code", error.Code);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An <see cref="IResult"/> for minimal-API handlers (admin and portal).</summary>
    public static IResult AsResult(this OpenAiError error, TimeSpan? retryAfter = null) => new OpenAiErrorResult(error, retryAfter);

    private sealed class OpenAiErrorResult(OpenAiError error, TimeSpan? retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, error, retryAfter);
    }
}
