using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Moat.Storage.Model;

/// <summary>Points a context at the configured provider and at that provider's migrations assembly.</summary>
internal static class MoatDbContextOptions
{
    public const string SqliteMigrationsAssembly = "Moat.Storage.Sqlite";
    public const string PostgresMigrationsAssembly = "Moat.Storage.Postgres";

    public static void Configure(DbContextOptionsBuilder builder, StorageOptions options)
    {
        var connectionString = options.ResolveConnectionString();
        if (options.IsPostgres)
        {
            builder.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly));
        }
        else
        {
            builder.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly));
        }
        // One process may hold contexts of both providers (tests); keep their models apart.
        builder.ReplaceService<IModelCacheKeyFactory, ProviderModelCacheKeyFactory>();
    }
}

/// <summary>Caches the model per provider, since the SQLite model converts timestamps and the PostgreSQL one does not.</summary>
internal sealed class ProviderModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        (context.GetType(), context.Database.ProviderName, designTime);
}
