using Microsoft.Extensions.Options;

namespace Moat.Admin.Hosting;

/// <summary>The current terms of use (<c>Moat:Terms</c>); applicants must accept exactly this version.</summary>
public sealed class TermsOptions
{
    public const string SectionName = "Moat:Terms";

    public string Version { get; set; } = "2026-01";

    public string Text { get; set; } = DefaultText;

    public const string DefaultText =
        "Moat limited-access terms of use.\n" +
        "1. Access is granted to the approved organisation for the use it declared in its application.\n" +
        "2. You may not use the model's outputs to develop, train, fine-tune, distil or evaluate a model that competes with the provider's models.\n" +
        "3. You may not harvest outputs in bulk, including running benchmark or evaluation suites to collect answers, unless the provider has approved benchmark use in writing.\n" +
        "4. You may not circumvent rate limits, quotas or enforcement, including by spreading traffic across several keys, accounts or organisations.\n" +
        "5. The provider monitors usage for abuse and may warn, throttle, suspend or terminate access; a suspension pends an investigation.\n" +
        "6. Keys are confidential; you are responsible for all use of your keys.";
}

/// <summary>Abuse protection of the public portal (<c>Moat:Portal</c>): applications per client IP.</summary>
public sealed class PortalOptions
{
    public const string SectionName = "Moat:Portal";

    public int ApplicationsPerMinute { get; set; } = 5;

    public int ApplicationsPerDay { get; set; } = 20;
}

/// <summary>Key management defaults (<c>Moat:Keys</c>).</summary>
public sealed class KeyManagementOptions
{
    public const string SectionName = "Moat:Keys";

    /// <summary>How long a rotated key keeps working when the request names no grace_seconds.</summary>
    public int RotationGraceSeconds { get; set; }
}

internal sealed class AdminOptionsValidator : IValidateOptions<TermsOptions>, IValidateOptions<PortalOptions>, IValidateOptions<KeyManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, TermsOptions options) =>
        string.IsNullOrWhiteSpace(options.Version) || string.IsNullOrWhiteSpace(options.Text)
            ? ValidateOptionsResult.Fail("Moat:Terms:Version and Moat:Terms:Text must not be empty.")
            : ValidateOptionsResult.Success;

    public ValidateOptionsResult Validate(string? name, PortalOptions options) =>
        options.ApplicationsPerMinute < 1 || options.ApplicationsPerDay < options.ApplicationsPerMinute
            ? ValidateOptionsResult.Fail("Moat:Portal:ApplicationsPerMinute must be at least 1 and at most Moat:Portal:ApplicationsPerDay.")
            : ValidateOptionsResult.Success;

    public ValidateOptionsResult Validate(string? name, KeyManagementOptions options) =>
        options.RotationGraceSeconds < 0
            ? ValidateOptionsResult.Fail("Moat:Keys:RotationGraceSeconds must not be negative.")
            : ValidateOptionsResult.Success;
}
