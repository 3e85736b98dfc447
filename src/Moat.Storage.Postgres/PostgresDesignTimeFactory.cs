using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Moat.Storage.Model;

namespace Moat.Storage.Postgres;

/// <summary>
/// Lets <c>dotnet ef migrations add X --project src/Moat.Storage.Postgres</c> build the PostgreSQL model. Adding a
/// migration does not connect; <c>database update</c> uses MOAT_DESIGN_POSTGRES when set.
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<MoatDbContext>
{
    public MoatDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<MoatDbContext>();
        MoatDbContextOptions.Configure(builder, new StorageOptions
        {
            Provider = StorageOptions.PostgresProvider,
            ConnectionString = Environment.GetEnvironmentVariable("MOAT_DESIGN_POSTGRES")
                ?? "Host=localhost;Database=moat_design;Username=postgres",
        });
        return new MoatDbContext(builder.Options);
    }
}
