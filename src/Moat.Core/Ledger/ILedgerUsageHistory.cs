namespace Moat.Core.Ledger;

/// <summary>
/// Reads back what the ledger already charged, so an in-process limiter that restarts (deploy, crash) resumes
/// today's counters instead of starting from zero. Implementations include records still in a write-ahead file.
/// </summary>
public interface ILedgerUsageHistory
{
    /// <summary>
    /// Per organisation and per key: tokens charged since <paramref name="dayStart"/> (UTC midnight), and requests
    /// and tokens since <paramref name="windowStart"/> (the start of the current rate window).
    /// </summary>
    Task<LedgerUsageTotals> LoadAsync(DateTimeOffset dayStart, DateTimeOffset windowStart, CancellationToken cancellationToken = default);
}

/// <summary>Usage already charged, by organisation and by key.</summary>
public sealed record LedgerUsageTotals(
    IReadOnlyDictionary<string, ChargedUsage> Organizations,
    IReadOnlyDictionary<string, ChargedUsage> Keys)
{
    public static LedgerUsageTotals Empty { get; } = new(new Dictionary<string, ChargedUsage>(), new Dictionary<string, ChargedUsage>());
}

/// <summary>Tokens charged today, and requests (attempts) and tokens charged within the current rate window.</summary>
public readonly record struct ChargedUsage(long TokensToday, long RequestsInWindow, long TokensInWindow);
