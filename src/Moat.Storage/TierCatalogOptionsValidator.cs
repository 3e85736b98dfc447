using Microsoft.Extensions.Options;
using Moat.Core.Quotas;

namespace Moat.Storage;

/// <summary>
/// Checks <c>Moat:Tiers</c> on start: every limit positive (zero or less once meant "unlimited" silently), a positive
/// default max_tokens, and a throttle factor in (0, 1].
/// </summary>
internal sealed class TierCatalogOptionsValidator : IValidateOptions<TierCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, TierCatalogOptions options)
    {
        var failures = new List<string>();
        foreach (var (tier, limits) in options.Tiers)
        {
            var where = $"Moat:Tiers:{tier}";
            if (limits.RequestsPerMinute < 1)
            {
                failures.Add($"{where}:RequestsPerMinute must be a positive integer (got {limits.RequestsPerMinute}); tiers cannot be unlimited, give a large number instead.");
            }
            if (limits.TokensPerMinute < 1)
            {
                failures.Add($"{where}:TokensPerMinute must be a positive integer (got {limits.TokensPerMinute}); tiers cannot be unlimited, give a large number instead.");
            }
            if (limits.TokensPerDay < 1)
            {
                failures.Add($"{where}:TokensPerDay must be a positive integer (got {limits.TokensPerDay}); tiers cannot be unlimited, give a large number instead.");
            }
            if (limits.DefaultMaxTokens < 1)
            {
                failures.Add($"{where}:DefaultMaxTokens must be a positive integer (got {limits.DefaultMaxTokens}).");
            }
        }
        if (!(options.ThrottleFactor > 0 && options.ThrottleFactor <= 1))
        {
            failures.Add($"Moat:ThrottleFactor must be greater than 0 and at most 1 (got {options.ThrottleFactor}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
