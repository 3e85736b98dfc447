using Microsoft.Extensions.Options;

namespace Moat.Storage;

/// <summary>Where and how Moat stores its state (configuration section <c>Moat:Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Moat:Storage";
    public const string SqliteProvider = "Sqlite";
    public const string PostgresProvider = "Postgres";

    /// <summary>"Sqlite" (embedded default) or "Postgres" (scale-out).</summary>
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>The provider's connection string; for SQLite the default is <c>Data Source={DataDir}/moat.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Directory for local files; the host binds it from <c>Moat:DataDir</c>.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>Records the ledger queue holds before writers wait.</summary>
    public int LedgerCapacity { get; set; } = 100_000;

    /// <summary>Most records written in one transaction.</summary>
    public int LedgerBatchSize { get; set; } = 500;

    /// <summary>Longest time a record waits in the queue for its batch to fill.</summary>
    public int LedgerFlushIntervalMs { get; set; } = 100;

    public bool IsSqlite => string.Equals(Provider, SqliteProvider, StringComparison.OrdinalIgnoreCase);

    public bool IsPostgres => string.Equals(Provider, PostgresProvider, StringComparison.OrdinalIgnoreCase);

    /// <summary>The connection string in force: the configured one, or the SQLite default under <see cref="DataDir"/>.</summary>
    public string ResolveConnectionString() =>
        !string.IsNullOrWhiteSpace(ConnectionString)
            ? ConnectionString
            : $"Data Source={Path.Combine(DataDir, "moat.db")}";
}

/// <summary>Rejects unusable storage settings at start-up with a message that names the setting.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (!options.IsSqlite && !options.IsPostgres)
        {
            failures.Add($"{StorageOptions.SectionName}:Provider must be 'Sqlite' or 'Postgres' (was '{options.Provider}').");
        }
        if (options.IsPostgres && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{StorageOptions.SectionName}:ConnectionString is required when Provider is 'Postgres'.");
        }
        if (options.IsSqlite && string.IsNullOrWhiteSpace(options.ConnectionString) && string.IsNullOrWhiteSpace(options.DataDir))
        {
            failures.Add($"{StorageOptions.SectionName}:DataDir (or Moat:DataDir) must be set when no SQLite ConnectionString is given.");
        }
        if (options.LedgerCapacity < 1)
        {
            failures.Add($"{StorageOptions.SectionName}:LedgerCapacity must be at least 1 (was {options.LedgerCapacity}).");
        }
        if (options.LedgerBatchSize < 1)
        {
            failures.Add($"{StorageOptions.SectionName}:LedgerBatchSize must be at least 1 (was {options.LedgerBatchSize}).");
        }
        if (options.LedgerFlushIntervalMs < 1)
        {
            failures.Add($"{StorageOptions.SectionName}:LedgerFlushIntervalMs must be at least 1 (was {options.LedgerFlushIntervalMs}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
