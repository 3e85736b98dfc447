using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Moat.Storage.Model;

namespace Moat.Storage.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add X --project src/Moat.Storage.Sqlite</c> build the SQLite model.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<MoatDbContext>
{
    public MoatDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<MoatDbContext>();
        MoatDbContextOptions.Configure(builder, new StorageOptions
        {
            Provider = StorageOptions.SqliteProvider,
            ConnectionString = "Data Source=" + (Environment.GetEnvironmentVariable("MOAT_DESIGN_SQLITE") ?? "moat-design.db"),
        });
        return new MoatDbContext(builder.Options);
    }
}
