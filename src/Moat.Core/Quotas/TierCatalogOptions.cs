namespace Moat.Core.Quotas;

/// <summary>Bound from the <c>Moat</c> section: <c>Moat:Tiers</c> (defaults trial, standard, enterprise) and the throttle factor.</summary>
public sealed class TierCatalogOptions
{
    public Dictionary<string, TierOptions> Tiers { get; set; } = DefaultTiers.Create();

    /// <summary>Multiplier applied to every limit of a throttled organisation.</summary>
    public double ThrottleFactor { get; set; } = 0.1;

    public TierOptions? Find(string tier) => Tiers.TryGetValue(tier, out var options) ? options : null;
}
