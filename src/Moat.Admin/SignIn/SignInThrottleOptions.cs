using Microsoft.Extensions.Options;

namespace Moat.Admin.SignIn;

/// <summary>
/// Back-off for failed admin sign-ins (<c>Moat:Admin:SignIn</c>), per client address: after <see cref="MaxFailures"/>
/// failures within <see cref="WindowSeconds"/>, the address is refused (429) for <see cref="BackoffSeconds"/>, doubling
/// with each further lockout up to <see cref="MaxBackoffSeconds"/>. Failures are audited as one summary per address per window.
/// </summary>
public sealed class SignInThrottleOptions
{
    public const string SectionName = "Moat:Admin:SignIn";

    public int MaxFailures { get; set; } = 5;

    public int WindowSeconds { get; set; } = 60;

    public int BackoffSeconds { get; set; } = 30;

    public int MaxBackoffSeconds { get; set; } = 3600;

    /// <summary>
    /// Most client addresses tracked at once (idle ones are forgotten each window); beyond it, failures of new addresses
    /// are counted and audited in one shared bucket, <see cref="SignInThrottle.OverflowClient"/>, which locks nobody out.
    /// </summary>
    public int MaxTrackedClients { get; set; } = 100_000;

    public TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);
}

internal sealed class SignInThrottleOptionsValidator : IValidateOptions<SignInThrottleOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInThrottleOptions options)
    {
        var failures = new List<string>();
        if (options.MaxFailures < 1)
        {
            failures.Add($"{SignInThrottleOptions.SectionName}:MaxFailures must be at least 1.");
        }
        if (options.WindowSeconds < 1)
        {
            failures.Add($"{SignInThrottleOptions.SectionName}:WindowSeconds must be at least 1.");
        }
        if (options.BackoffSeconds < 1 || options.MaxBackoffSeconds < options.BackoffSeconds)
        {
            failures.Add($"{SignInThrottleOptions.SectionName}:BackoffSeconds must be at least 1 and at most MaxBackoffSeconds.");
        }
        if (options.MaxTrackedClients < 1)
        {
            failures.Add($"{SignInThrottleOptions.SectionName}:MaxTrackedClients must be at least 1.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
