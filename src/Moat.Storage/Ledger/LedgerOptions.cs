using Microsoft.Extensions.Options;

namespace Moat.Storage;

/// <summary>How the usage ledger acknowledges a record (configuration section <c>Moat:Ledger</c>).</summary>
public sealed class LedgerOptions
{
    public const string SectionName = "Moat:Ledger";

    /// <summary>
    /// <see cref="LedgerDurability.WalBuffered"/> (default): a write completes once the record is in the local write-ahead
    /// file (handed to the operating system), so a process crash — kill -9, OOM, a deploy gone wrong — loses nothing
    /// acknowledged; the file is fsynced every <see cref="WalSyncIntervalMs"/>, the most a power loss can take.
    /// <see cref="LedgerDurability.Wal"/>: a write completes once fsynced (power-loss safe; costs an fsync per group
    /// commit on the request path). <see cref="LedgerDurability.Memory"/>: a write completes once queued.
    /// </summary>
    public LedgerDurability Durability { get; set; } = LedgerDurability.WalBuffered;

    /// <summary>With <see cref="LedgerDurability.WalBuffered"/>: how often the write-ahead file is fsynced.</summary>
    public int WalSyncIntervalMs { get; set; } = 200;

    /// <summary>The fsync interval of the write-ahead log, or null to fsync before every acknowledgement.</summary>
    public TimeSpan? SyncInterval => Durability == LedgerDurability.WalBuffered ? TimeSpan.FromMilliseconds(WalSyncIntervalMs) : null;

    /// <summary>Directory of the write-ahead files; the default is <c>{DataDir}/ledger-wal</c>. One process per directory.</summary>
    public string? WalDirectory { get; set; }

    /// <summary>
    /// How long a starting process waits for another process to release the write-ahead directory (a restart whose old
    /// process is still exiting) before it refuses to start.
    /// </summary>
    public int WalLockWaitSeconds { get; set; } = 30;

    /// <summary>Size at which the write-ahead log starts a new segment file (older segments are deleted once in the database).</summary>
    public long WalSegmentBytes { get; set; } = 16L * 1024 * 1024;

    public bool IsWal => Durability is LedgerDurability.Wal or LedgerDurability.WalBuffered;

    public string ResolveWalDirectory(StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return !string.IsNullOrWhiteSpace(WalDirectory) ? WalDirectory : Path.Combine(storage.DataDir, "ledger-wal");
    }
}

/// <summary>When <see cref="Moat.Core.Ledger.ILedgerSink.WriteAsync"/> completes.</summary>
public enum LedgerDurability
{
    /// <summary>Once the record is on local disk (write-ahead file, group-committed fsync).</summary>
    Wal,

    /// <summary>Once the record is written to the write-ahead file; fsynced every <see cref="LedgerOptions.WalSyncIntervalMs"/>.</summary>
    WalBuffered,

    /// <summary>Once the record is queued in memory; a crash loses what the queue held.</summary>
    Memory,
}

/// <summary>Rejects unusable ledger settings at start-up with a message that names the setting.</summary>
internal sealed class LedgerOptionsValidator : IValidateOptions<LedgerOptions>
{
    public ValidateOptionsResult Validate(string? name, LedgerOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Durability))
        {
            failures.Add($"{LedgerOptions.SectionName}:Durability must be 'WalBuffered', 'Wal' or 'Memory' (was '{options.Durability}').");
        }
        if (options.WalSyncIntervalMs is < 1 or > 60_000)
        {
            failures.Add($"{LedgerOptions.SectionName}:WalSyncIntervalMs must be between 1 and 60000 (was {options.WalSyncIntervalMs}).");
        }
        if (options.WalLockWaitSeconds is < 0 or > 600)
        {
            failures.Add($"{LedgerOptions.SectionName}:WalLockWaitSeconds must be between 0 and 600 (was {options.WalLockWaitSeconds}).");
        }
        if (options.WalSegmentBytes < 64 * 1024)
        {
            failures.Add($"{LedgerOptions.SectionName}:WalSegmentBytes must be at least 65536 (was {options.WalSegmentBytes}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
