using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Moat.Storage;

/// <summary>Brings the database schema up to date; run before the host starts (and by <c>moat migrate</c>).</summary>
public static class MoatDatabase
{
    /// <summary>Milliseconds a SQLite connection waits for another writer's lock before failing.</summary>
    public const int SqliteBusyTimeoutMs = 5_000;

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var contexts = services.GetRequiredService<IDbContextFactory<MoatDbContext>>();
        if (options.IsSqlite)
        {
            EnsureSqliteDirectory(options);
        }

        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        if (options.IsSqlite)
        {
            // WAL lets readers (the admin API, the key directory) run while the ledger writes; it is a property of
            // the file and persists. busy_timeout is per connection, set here for the migration itself.
            await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct).ConfigureAwait(false);
            await db.Database.ExecuteSqlRawAsync($"PRAGMA busy_timeout={SqliteBusyTimeoutMs};", ct).ConfigureAwait(false);
        }
        await db.Database.MigrateAsync(ct).ConfigureAwait(false);
    }

    private static void EnsureSqliteDirectory(StorageOptions options)
    {
        var dataSource = new SqliteConnectionStringBuilder(options.ResolveConnectionString()).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
