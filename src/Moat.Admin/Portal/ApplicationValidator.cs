using System.Net.Mail;
using Moat.Admin.Access;
using Moat.Admin.Api;
using Moat.Core.Text;

namespace Moat.Admin.Portal;

/// <summary>Checks a portal application field by field; the first problem is a 400 naming the field.</summary>
public static class ApplicationValidator
{
    public static readonly IReadOnlyList<string> UseCaseCategories =
        ["chatbot", "coding", "search", "data-processing", "research", "evaluation", "other"];

    public static ValidApplication Validate(SubmitApplicationRequest request, string currentTermsVersion)
    {
        // Control and bidi characters are refused in every field before anything else: they would reach an operator's
        // terminal (moat admin applications) or reorder what the reviewer reads.
        RequireClean(request.OrganizationName, "organization_name");
        RequireClean(request.ContactEmail, "contact_email");
        RequireClean(request.IntendedUse, "intended_use", allowLineBreaks: true);
        RequireClean(request.UseCaseCategory, "use_case_category");
        RequireClean(request.TermsVersion, "terms_version");
        var name = Text(request.OrganizationName, "organization_name", 2, 200);
        var email = Email(request.ContactEmail);
        var use = Text(request.IntendedUse, "intended_use", 20, 5000);
        var category = request.UseCaseCategory?.Trim().ToLowerInvariant();
        if (category is null || !UseCaseCategories.Contains(category))
        {
            throw AdminApiException.Invalid(
                $"'use_case_category' must be one of: {string.Join(", ", UseCaseCategories)}.", "use_case_category");
        }
        if (request.ExpectedMonthlyTokens is not > 0)
        {
            throw AdminApiException.Invalid("'expected_monthly_tokens' must be a positive integer.", "expected_monthly_tokens");
        }
        if (!string.Equals(request.TermsVersion, currentTermsVersion, StringComparison.Ordinal))
        {
            throw AdminApiException.Invalid(
                $"'terms_version' must be the current terms version '{currentTermsVersion}'; read GET /portal/v1/terms and accept them.", "terms_version");
        }
        return new ValidApplication(name, email, use, category, request.ExpectedMonthlyTokens.Value, currentTermsVersion);
    }

    private static void RequireClean(string? value, string field, bool allowLineBreaks = false)
    {
        if (value is not null && UntrustedText.FindUnsafe(value, allowLineBreaks) is var at and >= 0)
        {
            throw AdminApiException.Invalid(
                $"'{field}' contains the control character {UntrustedText.Describe(value[at])} at position {at}; send plain text"
                + (allowLineBreaks ? " (line breaks and tabs are allowed)." : " on one line."), field);
        }
    }

    private static string Text(string? value, string field, int min, int max)
    {
        var trimmed = value?.Trim();
        if (trimmed is null || trimmed.Length < min || trimmed.Length > max)
        {
            throw AdminApiException.Invalid($"'{field}' is required and must be {min} to {max} characters.", field);
        }
        return trimmed;
    }

    private static string Email(string? value)
    {
        var trimmed = value?.Trim();
        if (trimmed is { Length: > 0 and <= 254 }
            && MailAddress.TryCreate(trimmed, out var address)
            && address.Address == trimmed
            && address.Host.Contains('.', StringComparison.Ordinal))
        {
            return trimmed;
        }
        throw AdminApiException.Invalid("'contact_email' must be a valid e-mail address.", "contact_email");
    }
}
