using Microsoft.Extensions.Options;

namespace Moat.Redis;

/// <summary>Scale-out settings (configuration <c>Moat:Redis</c>). Redis is used only when a connection string is set.</summary>
public sealed class RedisOptions
{
    public const string SectionName = "Moat:Redis";

    /// <summary>StackExchange.Redis configuration string, e.g. "10.0.0.7:6379,password=…".</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Prefix of every key and channel, so several Moat deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "moat";

    /// <summary>
    /// What the limiter does when Redis cannot be reached: "Local" (default) keeps serving with this replica's
    /// in-process limiter, so limits hold per replica instead of globally; "Reject" refuses with 429 until Redis returns.
    /// </summary>
    public string UnavailablePolicy { get; set; } = "Local";

    /// <summary>Longest wait for one Redis command before the unavailable policy applies.</summary>
    public int CommandTimeoutMs { get; set; } = 250;

    public bool Enabled => !string.IsNullOrWhiteSpace(ConnectionString);
    public bool RejectWhenUnavailable => string.Equals(UnavailablePolicy, "Reject", StringComparison.OrdinalIgnoreCase);
}

internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        var failures = new List<string>();
        if (options.UnavailablePolicy is not ("Local" or "Reject" or "local" or "reject"))
        {
            failures.Add($"{RedisOptions.SectionName}:UnavailablePolicy must be 'Local' or 'Reject' (got '{options.UnavailablePolicy}').");
        }
        if (options.CommandTimeoutMs is < 10 or > 60_000)
        {
            failures.Add($"{RedisOptions.SectionName}:CommandTimeoutMs must be between 10 and 60000.");
        }
        if (string.IsNullOrWhiteSpace(options.KeyPrefix))
        {
            failures.Add($"{RedisOptions.SectionName}:KeyPrefix must not be empty.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
