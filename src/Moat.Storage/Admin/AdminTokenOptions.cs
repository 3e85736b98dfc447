using Microsoft.Extensions.Options;

namespace Moat.Storage;

/// <summary>
/// The configured admin token (<c>Moat:Admin:Token</c>, or the <c>MOAT_ADMIN_TOKEN</c> environment variable). Optional:
/// without one, a strong token is generated on first start. A configured one must be at least
/// <see cref="MinimumLength"/> characters, so it cannot be guessed.
/// </summary>
public sealed class AdminTokenOptions
{
    public const string SectionName = "Moat:Admin";
    public const int MinimumLength = 32;

    public string? Token { get; set; }
}

/// <summary>Refuses a short admin token at start-up, naming the setting and never echoing the token.</summary>
internal sealed class AdminTokenOptionsValidator : IValidateOptions<AdminTokenOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminTokenOptions options) =>
        options.Token is { } token && token.Length < AdminTokenOptions.MinimumLength
            ? ValidateOptionsResult.Fail(
                $"{AdminTokenOptions.SectionName}:Token (or MOAT_ADMIN_TOKEN) must be at least {AdminTokenOptions.MinimumLength} characters; " +
                $"the configured one has {token.Length}. Use a random one (e.g. `openssl rand -base64 32`), or set none to have Moat generate one.")
            : ValidateOptionsResult.Success;
}
