using Moat.Core.Ledger;
using Moat.Storage.Tests.Infrastructure;

namespace Moat.Storage.Tests;

/// <summary>The ledger with its write-ahead log against a real database: crash, replay, read-back.</summary>
public abstract class LedgerDurabilityTests(StorageProvider provider)
{
    private static readonly DateTimeOffset Midnight = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Noon = Midnight.AddHours(12);

    [StorageFact]
    public async Task StartAsync_CrashLeftRecordsOnlyInTheLog_WritesEachExactlyOnce()
    {
        // The database writer never runs in the first "process": acknowledged records exist only in the log.
        await using var crashed = await StorageHarness.For(provider).WithSystemClock().WithoutHostedServices().StartAsync();
        var records = new UsageRecordBuilder("org_a", "key_a", Noon);
        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => crashed.Ledger.WriteAsync(records.Build($"req_{i:D4}")).AsTask()));
        crashed.Ledger.AbandonWal();
        Assert.Equal(0, await crashed.ScalarAsync("SELECT COUNT(*) FROM usage_records"));

        await using var restarted = await crashed.RestartAsync();

        Assert.Equal(500, await restarted.ScalarAsync("SELECT COUNT(*) FROM usage_records"));
        Assert.Equal(500, await restarted.ScalarAsync("SELECT COUNT(DISTINCT request_id) FROM usage_records"));
    }

    [StorageFact]
    public async Task StartAsync_CrashAfterDatabaseCommitBeforeCheckpoint_WritesNoDuplicates()
    {
        await using var crashed = await StorageHarness.For(provider).WithSystemClock().StartAsync();
        var records = new UsageRecordBuilder("org_a", "key_a", Noon);
        for (var i = 0; i < 300; i++)
        {
            await crashed.Ledger.WriteAsync(records.Build($"req_{i:D4}"));
        }
        await crashed.Ledger.WhenIdleAsync();
        crashed.Ledger.AbandonWal();
        // As if the process died between the database commit and the checkpoint: the log replays from its start.
        File.Delete(Path.Combine(crashed.DataDir, "ledger-wal", "checkpoint"));

        await using var restarted = await crashed.RestartAsync();
        await restarted.Ledger.WriteAsync(records.Build("req_after_restart"));
        await restarted.Ledger.WhenIdleAsync();

        Assert.Equal(301, await restarted.ScalarAsync("SELECT COUNT(*) FROM usage_records"));
        Assert.Equal(301, await restarted.ScalarAsync("SELECT COUNT(DISTINCT request_id) FROM usage_records"));
    }

    [StorageFact]
    public async Task StartAsync_MemoryDurabilityWithALeftoverLog_StillWritesItsRecords()
    {
        await using var crashed = await StorageHarness.For(provider).WithSystemClock().WithoutHostedServices().StartAsync();
        await crashed.Ledger.WriteAsync(new UsageRecordBuilder("org_a", "key_a", Noon).Build("req_logged"));
        crashed.Ledger.AbandonWal();

        await using var restarted = await crashed.WithDurability(LedgerDurability.Memory).RestartAsync();

        Assert.Equal(["req_logged"], await restarted.QueryCellsAsync("SELECT request_id FROM usage_records"));
    }

    [StorageFact]
    public async Task WriteAsync_WalDurability_StoresUsageSourceAndAttempts()
    {
        await using var harness = await StorageHarness.For(provider).WithSystemClock().StartAsync();

        await harness.Ledger.WriteAsync(new UsageRecordBuilder("org_a", "key_a", Noon) { Status = 429, Attempts = 12 }.Build() with { UsageSource = null });
        await harness.Ledger.WriteAsync(new UsageRecordBuilder("org_a", "key_a", Noon).Build() with { UsageSource = UsageSources.Counted });
        await harness.Ledger.WhenIdleAsync();

        Assert.Equal(["", "12", "counted", "1"], await harness.QueryCellsAsync("SELECT usage_source, attempts FROM usage_records ORDER BY id"));
    }

    [StorageFact]
    public async Task QueryAsync_SummarisedRefusals_CountsEveryAttemptAsARequestAndAnError()
    {
        await using var harness = await StorageHarness.For(provider).WithSystemClock().StartAsync();
        await harness.Ledger.WriteAsync(new UsageRecordBuilder("org_a", "key_a", Noon) { Status = 429, Attempts = 40, PromptTokens = 0, CompletionTokens = 0 }.Build());
        await harness.Ledger.WriteAsync(new UsageRecordBuilder("org_a", "key_a", Noon).Build());
        await harness.Ledger.WhenIdleAsync();

        var total = (await harness.Usage.QueryAsync(new UsageQuery(OrgId: "org_a"))).Single();

        Assert.Equal((41L, 40L), (total.Requests, total.Errors));
    }

    [StorageFact]
    public async Task LoadAsync_UsageTodayAndInTheWindow_TotalsPerOrganisationAndKey()
    {
        await using var harness = await StorageHarness.For(provider).WithSystemClock().StartAsync();
        UsageRecordBuilder[] rows =
        [
            new("org_a", "key_a1", Noon.AddDays(-1)) { PromptTokens = 1_000, CompletionTokens = 1_000 },  // yesterday: nothing
            new("org_a", "key_a1", Noon.AddHours(-3)) { PromptTokens = 100, CompletionTokens = 50 },      // today, before the window
            new("org_a", "key_a1", Noon.AddSeconds(-30)) { PromptTokens = 10, CompletionTokens = 5 },     // in the window
            new("org_a", "key_a2", Noon.AddSeconds(-10)) { Status = 429, Attempts = 7, PromptTokens = 0, CompletionTokens = 0 },
            new("org_b", "key_b1", Noon.AddSeconds(-59)) { PromptTokens = 1, CompletionTokens = 2 },
        ];
        foreach (var row in rows)
        {
            await harness.Ledger.WriteAsync(row.Build());
        }
        var history = (ILedgerUsageHistory)harness.Services.GetService(typeof(ILedgerUsageHistory))!;

        var totals = await history.LoadAsync(dayStart: Midnight, windowStart: Noon.AddMinutes(-1));

        Assert.Equal(new ChargedUsage(TokensToday: 165, RequestsInWindow: 8, TokensInWindow: 15), totals.Organizations["org_a"]);
        Assert.Equal(new ChargedUsage(3, 1, 3), totals.Organizations["org_b"]);
        Assert.Equal(new ChargedUsage(165, 1, 15), totals.Keys["key_a1"]);
        Assert.Equal(new ChargedUsage(0, 7, 0), totals.Keys["key_a2"]);
        Assert.Equal(3, totals.Keys.Count);
    }

    [StorageFact]
    public async Task LoadAsync_RecordsOnlyInTheLogOfACrashedRun_CountsThem()
    {
        await using var crashed = await StorageHarness.For(provider).WithSystemClock().WithoutHostedServices().StartAsync();
        await crashed.Ledger.WriteAsync(new UsageRecordBuilder("org_a", "key_a", Noon) { PromptTokens = 30, CompletionTokens = 12 }.Build());
        crashed.Ledger.AbandonWal();
        // The limiter may load before the host starts the ledger: the read-back replays the log itself.
        await using var restarted = await crashed.RestartAsync(startHostedServices: false);
        var history = (ILedgerUsageHistory)restarted.Services.GetService(typeof(ILedgerUsageHistory))!;

        var totals = await history.LoadAsync(Midnight, Noon.AddMinutes(-1));

        Assert.Equal(new ChargedUsage(42, 1, 42), totals.Organizations["org_a"]);
    }
}

public sealed class LedgerDurabilitySqliteTests() : LedgerDurabilityTests(StorageProvider.Sqlite);

[RequiresPostgres]
public sealed class LedgerDurabilityPostgresTests() : LedgerDurabilityTests(StorageProvider.Postgres);
