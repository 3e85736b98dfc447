using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moat.Storage.Entities;

namespace Moat.Storage.Model;

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<OrganizationEntity>
{
    public void Configure(EntityTypeBuilder<OrganizationEntity> builder)
    {
        builder.ToTable("organizations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).HasMaxLength(64);
        builder.Property(o => o.Name).HasMaxLength(256);
        builder.Property(o => o.State).HasConversion<OrgStateConverter>().HasMaxLength(16);
        builder.Property(o => o.Tier).HasMaxLength(64);
        builder.Property(o => o.UseCaseCategory).HasMaxLength(128);
        builder.Property(o => o.ContactEmail).HasMaxLength(320);
        builder.Property(o => o.Version).IsConcurrencyToken();
        builder.HasIndex(o => o.State);
        builder.HasMany(o => o.Keys).WithOne(k => k.Organization).HasForeignKey(k => k.OrgId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKeyEntity>
{
    public void Configure(EntityTypeBuilder<ApiKeyEntity> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasMaxLength(64);
        builder.Property(k => k.OrgId).HasMaxLength(64);
        builder.Property(k => k.Name).HasMaxLength(256);
        builder.Property(k => k.KeyHash).HasMaxLength(64);
        builder.Property(k => k.Prefix).HasMaxLength(32);
        builder.Property(k => k.RotatedFromId).HasMaxLength(64);
        builder.HasIndex(k => k.KeyHash).IsUnique();
        builder.HasIndex(k => k.OrgId);
    }
}

internal sealed class UsageRecordConfiguration : IEntityTypeConfiguration<UsageRecordEntity>
{
    public void Configure(EntityTypeBuilder<UsageRecordEntity> builder)
    {
        // No foreign keys and no length limits: a ledger row must never be refused by a constraint.
        builder.ToTable("usage_records");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedOnAdd();
        builder.HasIndex(r => new { r.OrgId, r.Timestamp });
        builder.HasIndex(r => new { r.KeyId, r.Timestamp });
        builder.HasIndex(r => r.RequestId);
        builder.HasIndex(r => r.HourBucket);
    }
}

internal sealed class ApplicationConfiguration : IEntityTypeConfiguration<ApplicationEntity>
{
    public void Configure(EntityTypeBuilder<ApplicationEntity> builder)
    {
        builder.ToTable("applications");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasMaxLength(64);
        builder.Property(a => a.Status).HasConversion<LowerCaseEnumConverter<ApplicationStatus>>().HasMaxLength(16);
        builder.Property(a => a.OrgId).HasMaxLength(64);
        builder.HasIndex(a => new { a.Status, a.SubmittedAt });
    }
}

internal sealed class CaseConfiguration : IEntityTypeConfiguration<CaseEntity>
{
    public void Configure(EntityTypeBuilder<CaseEntity> builder)
    {
        builder.ToTable("cases");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(64);
        builder.Property(c => c.OrgId).HasMaxLength(64);
        builder.Property(c => c.Status).HasConversion<LowerCaseEnumConverter<CaseStatus>>().HasMaxLength(16);
        builder.Property(c => c.Resolution).HasConversion<LowerCaseEnumConverter<CaseResolution>>().HasMaxLength(16);
        builder.HasIndex(c => new { c.OrgId, c.Status });
        builder.HasMany(c => c.Events).WithOne().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CaseEventConfiguration : IEntityTypeConfiguration<CaseEventEntity>
{
    public void Configure(EntityTypeBuilder<CaseEventEntity> builder)
    {
        builder.ToTable("case_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.CaseId).HasMaxLength(64);
        builder.Property(e => e.Kind).HasConversion<LowerCaseEnumConverter<CaseEventKind>>().HasMaxLength(16);
        builder.HasIndex(e => new { e.CaseId, e.At });
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntryEntity>
{
    public void Configure(EntityTypeBuilder<AuditEntryEntity> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(e => e.Seq);
        // The chain assigns seq itself (max + 1 under a lock); a database sequence could leave gaps.
        builder.Property(e => e.Seq).ValueGeneratedNever();
        builder.Property(e => e.PrevHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
        builder.HasIndex(e => e.Subject);
    }
}

internal sealed class RiskSnapshotConfiguration : IEntityTypeConfiguration<RiskSnapshotEntity>
{
    public void Configure(EntityTypeBuilder<RiskSnapshotEntity> builder)
    {
        builder.ToTable("risk_snapshots");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedOnAdd();
        builder.Property(r => r.OrgId).HasMaxLength(64);
        builder.Property(r => r.Level).HasMaxLength(16);
        builder.HasIndex(r => new { r.OrgId, r.At });
    }
}

internal sealed class AdminTokenConfiguration : IEntityTypeConfiguration<AdminTokenEntity>
{
    public void Configure(EntityTypeBuilder<AdminTokenEntity> builder)
    {
        builder.ToTable("admin_tokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(64);
        builder.Property(t => t.TokenHash).HasMaxLength(64);
        builder.HasIndex(t => t.TokenHash).IsUnique();
    }
}

internal sealed class DetectionCheckpointConfiguration : IEntityTypeConfiguration<DetectionCheckpointEntity>
{
    public void Configure(EntityTypeBuilder<DetectionCheckpointEntity> builder)
    {
        builder.ToTable("detection_checkpoints");
        builder.HasKey(c => c.OrgId);
        builder.Property(c => c.OrgId).HasMaxLength(64);
        builder.Property(c => c.PolicySteps).HasMaxLength(64);
        builder.Property(c => c.SuppressedSteps).HasMaxLength(64);
    }
}

internal sealed class OrgAllowListConfiguration : IEntityTypeConfiguration<OrgAllowListEntity>
{
    public void Configure(EntityTypeBuilder<OrgAllowListEntity> builder)
    {
        builder.ToTable("org_allow_list");
        builder.HasKey(a => a.OrgId);
        builder.Property(a => a.OrgId).HasMaxLength(64);
        builder.Property(a => a.CaseId).HasMaxLength(64);
        builder.HasIndex(a => a.ExpiresAt);
    }
}
