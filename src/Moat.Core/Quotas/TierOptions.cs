namespace Moat.Core.Quotas;

/// <summary>A commercial tier (configuration <c>Moat:Tiers:&lt;name&gt;</c>): limits and allowed models.</summary>
public sealed class TierOptions
{
    public int RequestsPerMinute { get; set; } = 60;
    public long TokensPerMinute { get; set; } = 100_000;
    public long TokensPerDay { get; set; } = 2_000_000;

    /// <summary>Completion tokens reserved when a request names no max_tokens.</summary>
    public int DefaultMaxTokens { get; set; } = 1024;

    /// <summary>Model ids this tier may call; empty (the default) or "*" means every configured model.</summary>
    /// <remarks>Empty by default because the configuration binder appends to, rather than replaces, a pre-filled list.</remarks>
    public List<string> AllowedModels { get; set; } = [];

    public QuotaLimits Limits => new(RequestsPerMinute, TokensPerMinute, TokensPerDay);

    public bool AllowsModel(string model)
    {
        if (AllowedModels.Count == 0)
        {
            return true;
        }
        foreach (var allowed in AllowedModels)
        {
            if (allowed == "*" || string.Equals(allowed, model, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>The built-in tiers, used when configuration names none.</summary>
public static class DefaultTiers
{
    public static Dictionary<string, TierOptions> Create() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["trial"] = new() { RequestsPerMinute = 20, TokensPerMinute = 40_000, TokensPerDay = 200_000, DefaultMaxTokens = 512 },
        ["standard"] = new() { RequestsPerMinute = 600, TokensPerMinute = 1_000_000, TokensPerDay = 20_000_000, DefaultMaxTokens = 1024 },
        ["enterprise"] = new() { RequestsPerMinute = 6_000, TokensPerMinute = 10_000_000, TokensPerDay = 500_000_000, DefaultMaxTokens = 2048 },
    };
}
