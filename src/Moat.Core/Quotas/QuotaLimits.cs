namespace Moat.Core.Quotas;

/// <summary>Request and token limits; a null member means "inherit", <see cref="Unlimited"/> (zero) means "no limit".</summary>
/// <remarks>
/// The admin API takes only positive limits or the explicit word "unlimited" (stored as <see cref="Unlimited"/>), and
/// tier limits in configuration must be positive, so zero reaches the limiters only when someone asked for no limit.
/// Limiters treat anything not positive as unlimited (older rows may hold negative numbers from before validation).
/// </remarks>
public sealed record QuotaLimits(int? RequestsPerMinute, long? TokensPerMinute, long? TokensPerDay)
{
    public static readonly QuotaLimits Inherit = new(null, null, null);

    /// <summary>The stored value of an override that lifts a limit.</summary>
    public const int Unlimited = 0;

    /// <summary>This set's values where present, the fallback's elsewhere.</summary>
    public QuotaLimits Over(QuotaLimits fallback) => new(
        RequestsPerMinute ?? fallback.RequestsPerMinute,
        TokensPerMinute ?? fallback.TokensPerMinute,
        TokensPerDay ?? fallback.TokensPerDay);

    /// <summary>The limits scaled down for a throttled organisation (never below 1).</summary>
    public QuotaLimits Scale(double factor) => new(
        ScaleValue(RequestsPerMinute, factor),
        ScaleValue(TokensPerMinute, factor),
        ScaleValue(TokensPerDay, factor));

    public bool IsEmpty => RequestsPerMinute is null && TokensPerMinute is null && TokensPerDay is null;

    private static int? ScaleValue(int? value, double factor) =>
        value is > 0 ? Math.Max(1, (int)Math.Floor(value.Value * factor)) : value;

    private static long? ScaleValue(long? value, double factor) =>
        value is > 0 ? Math.Max(1, (long)Math.Floor(value.Value * factor)) : value;
}
