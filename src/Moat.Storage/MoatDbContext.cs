using Microsoft.EntityFrameworkCore;
using Moat.Storage.Entities;
using Moat.Storage.Model;

namespace Moat.Storage;

/// <summary>The Moat database: one model for SQLite and PostgreSQL, with provider-specific migrations beside it.</summary>
public sealed class MoatDbContext(DbContextOptions<MoatDbContext> options) : DbContext(options)
{
    public DbSet<OrganizationEntity> Organizations => Set<OrganizationEntity>();
    public DbSet<ApiKeyEntity> ApiKeys => Set<ApiKeyEntity>();
    public DbSet<UsageRecordEntity> UsageRecords => Set<UsageRecordEntity>();
    public DbSet<ApplicationEntity> Applications => Set<ApplicationEntity>();
    public DbSet<CaseEntity> Cases => Set<CaseEntity>();
    public DbSet<CaseEventEntity> CaseEvents => Set<CaseEventEntity>();
    public DbSet<AuditEntryEntity> AuditEntries => Set<AuditEntryEntity>();
    public DbSet<RiskSnapshotEntity> RiskSnapshots => Set<RiskSnapshotEntity>();
    public DbSet<AdminTokenEntity> AdminTokens => Set<AdminTokenEntity>();
    public DbSet<DetectionCheckpointEntity> DetectionCheckpoints => Set<DetectionCheckpointEntity>();
    public DbSet<OrgAllowListEntity> OrgAllowList => Set<OrgAllowListEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // EF's SQLite provider cannot compare or ORDER BY DateTimeOffset; UTC ticks in an INTEGER column can.
        // PostgreSQL keeps native timestamptz.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MoatDbContext).Assembly);
        SnakeCaseNames.Apply(modelBuilder);
    }
}
