using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moat.Storage.Tests.Infrastructure;

namespace Moat.Storage.Tests;

public abstract class MoatDatabaseTests(StorageProvider provider)
{
    [StorageFact]
    public async Task MigrateAsync_RunTwice_IsIdempotentAndCreatesEveryTable()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();

        await MoatDatabase.MigrateAsync(harness.Services);

        foreach (var table in new[] { "organizations", "api_keys", "usage_records", "applications", "cases", "case_events", "audit_entries", "risk_snapshots", "admin_tokens", "detection_checkpoints", "org_allow_list" })
        {
            Assert.Equal(0, await harness.ScalarAsync($"SELECT COUNT(*) FROM {table}"));
        }
    }
}

public sealed class MoatDatabaseSqliteTests() : MoatDatabaseTests(StorageProvider.Sqlite)
{
    [Fact]
    public async Task MigrateAsync_Sqlite_CreatesDataDirAndUsesWal()
    {
        await using var harness = await StorageHarness.For(StorageProvider.Sqlite).StartAsync();

        Assert.Contains("wal", await harness.QueryCellsAsync("PRAGMA journal_mode"));
    }

    [Fact]
    public void AddMoatStorage_UnknownProvider_FailsWithMessageNamingTheSetting()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Moat:Storage:Provider"] = "Mongo" })
            .Build();
        using var services = new ServiceCollection().AddLogging().AddMoatStorage(configuration).BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains("Moat:Storage:Provider", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveConnectionString_NoneConfigured_UsesMoatDbUnderDataDir()
    {
        var options = new StorageOptions { DataDir = "/var/lib/moat" };

        Assert.Equal("Data Source=/var/lib/moat/moat.db", options.ResolveConnectionString());
    }
}

[RequiresPostgres]
public sealed class MoatDatabasePostgresTests() : MoatDatabaseTests(StorageProvider.Postgres);
