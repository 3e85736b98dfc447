using Microsoft.AspNetCore.Http;
using Moat.Core.Errors;

namespace Moat.Gateway.Errors;

/// <summary>The errors only the model API (<c>/v1/*</c>) answers with; shared ones are on <see cref="OpenAiError"/>.</summary>
public static class ModelApiErrors
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
}
