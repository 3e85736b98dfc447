using Microsoft.AspNetCore.Http;
using Moat.Core.Errors;

namespace Moat.Gateway.Errors;

/// <summary>Writes an <see cref="OpenAiError"/> to an HTTP response (the model API, and the host's error middleware).</summary>
public static class OpenAiErrorWriter
{
    public static async Task WriteAsync(HttpContext context, OpenAiError error, TimeSpan? retryAfter = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }
        response.StatusCode = error.Status;
        response.ContentType = OpenAiError.ContentType;
        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = OpenAiError.RetryAfterSeconds(delay);
        }
        var bytes = error.ToUtf8Json();
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>An <see cref="IResult"/> for minimal-API handlers hosted beside the gateway.</summary>
    public static IResult AsResult(this OpenAiError error, TimeSpan? retryAfter = null) => new OpenAiErrorResult(error, retryAfter);

    private sealed class OpenAiErrorResult(OpenAiError error, TimeSpan? retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, error, retryAfter);
    }
}
