using Microsoft.AspNetCore.Http;
using Moat.Core.Errors;

namespace Moat.Admin.Api;

/// <summary>
/// The OpenAI-shaped answer to a request body the server could not read: 413 <c>request_too_large</c> when the body
/// exceeded the limit (also a chunked one), otherwise 400 <c>invalid_request_error</c> (malformed chunk framing, an absurd
/// chunk size, a body cut short). Shared by the admin and portal body reader and the host's last-resort handler.
/// </summary>
public static class RequestBodyErrors
{
    public static OpenAiError From(BadHttpRequestException failure, long? limit)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? limit is { } max
                ? OpenAiError.RequestTooLarge(max)
                : new OpenAiError(StatusCodes.Status413PayloadTooLarge, "request_too_large", "invalid_request_error", "The request body exceeds the limit.")
            : OpenAiError.InvalidRequest("The request body could not be read: " + failure.Message);
    }

    /// <summary>A body read that failed with a bare <see cref="IOException"/> (Kestrel's answer to an overflowing chunk size).</summary>
    public static OpenAiError Unreadable(IOException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return OpenAiError.InvalidRequest("The request body could not be read: " + failure.Message);
    }

    /// <summary>
    /// True when <paramref name="failure"/> was thrown by the server while reading the request body, as opposed to any
    /// other I/O a handler does (files, sockets to upstreams), which stays a 500.
    /// </summary>
    public static bool IsRequestBodyFailure(IOException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.TargetSite?.DeclaringType?.FullName?.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) == true;
    }
}
