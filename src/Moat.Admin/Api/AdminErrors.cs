using Microsoft.AspNetCore.Http;
using Moat.Core.Errors;

namespace Moat.Admin.Api;

/// <summary>The errors only the admin and portal APIs answer with, and their <see cref="IResult"/> adapter.</summary>
public static class AdminErrors
{
    public static OpenAiError InvalidAdminToken() =>
        new(StatusCodes.Status401Unauthorized, "invalid_admin_token", "invalid_request_error", "Missing or invalid admin token. Pass it as 'Authorization: Bearer <admin token>'.");

    /// <summary>A named resource (organization, key, application, case) that does not exist.</summary>
    public static OpenAiError ResourceNotFound(string kind, string id) =>
        new(StatusCodes.Status404NotFound, "not_found", "invalid_request_error", $"No {kind} with id '{id}'.");

    public static OpenAiError IllegalTransition(string message) =>
        new(StatusCodes.Status409Conflict, "illegal_transition", "invalid_request_error", message);

    public static OpenAiError Conflict(string message) =>
        new(StatusCodes.Status409Conflict, "conflict", "invalid_request_error", message);

    /// <summary>Answers a minimal-API handler with <paramref name="error"/> (and <c>Retry-After</c> when given).</summary>
    public static IResult AsResult(this OpenAiError error, TimeSpan? retryAfter = null) => new ErrorResult(error, retryAfter);

    private sealed class ErrorResult(OpenAiError error, TimeSpan? retryAfter) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            if (response.HasStarted)
            {
                return;
            }
            response.StatusCode = error.Status;
            response.ContentType = OpenAiError.ContentType;
            if (retryAfter is { } wait)
            {
                response.Headers.RetryAfter = OpenAiError.RetryAfterSeconds(wait);
            }
            var body = error.ToUtf8Json();
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
