using Moat.Core.Errors;
using Moat.Core.Text;

namespace Moat.Admin.Api;

/// <summary>A request the admin or portal API refuses; the endpoint filter answers it with <see cref="Error"/>.</summary>
public sealed class AdminApiException(OpenAiError error, TimeSpan? retryAfter = null) : Exception(error.Message)
{
    public OpenAiError Error { get; } = error;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public static AdminApiException Invalid(string message, string? param = null) => new(OpenAiError.InvalidRequest(message, param));

    public static AdminApiException NotFound(string kind, string id) => new(AdminErrors.ResourceNotFound(kind, id));

    public static AdminApiException Conflict(string message) => new(AdminErrors.Conflict(message));

    /// <summary>Throws a 400 naming <paramref name="param"/> when <paramref name="reason"/> is missing; returns it trimmed.</summary>
    public static string RequireReason(string? reason, string param = "reason") =>
        string.IsNullOrWhiteSpace(reason)
            ? throw Invalid($"'{param}' is required: every change is recorded in the audit log with its reason.", param)
            : RequirePlainText(reason, param, allowLineBreaks: true).Trim();

    /// <summary>Throws a 400 naming <paramref name="param"/> when the text holds control or bidi characters; returns it.</summary>
    public static string RequirePlainText(string text, string param, bool allowLineBreaks = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = UntrustedText.FindUnsafe(text, allowLineBreaks);
        return at < 0
            ? text
            : throw Invalid($"'{param}' contains the control character {UntrustedText.Describe(text[at])} at position {at}; send plain text.", param);
    }
}
