using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Moat.Storage.Tests.Infrastructure;

namespace Moat.Storage.Tests;

public abstract class LedgerTests(StorageProvider provider, LedgerDurability durability)
{
    protected StorageProvider Provider => provider;

    /// <summary>A harness of this class's provider and durability.</summary>
    protected StorageHarness Harness() => StorageHarness.For(provider).WithDurability(durability);

    [StorageFact]
    public async Task WriteAsync_TenThousandRecordsFromManyTasks_EveryRecordLandsExactlyOnce()
    {
        await using var harness = await Harness().WithSystemClock().WithLedger(capacity: 1_000).StartAsync();
        var (org, key) = await harness.AnOrg().CreateWithKeyAsync();
        var records = new UsageRecordBuilder(org.Id, key.Key.Id, DateTimeOffset.UtcNow);

        await Parallel.ForEachAsync(Enumerable.Range(0, 10_000), new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (i, ct) => await harness.Ledger.WriteAsync(records.Build($"req_{i:D5}"), ct));
        await harness.Ledger.WhenIdleAsync();

        Assert.Equal(10_000, await harness.ScalarAsync("SELECT COUNT(*) FROM usage_records"));
        Assert.Equal(10_000, await harness.ScalarAsync("SELECT COUNT(DISTINCT request_id) FROM usage_records"));
    }

    [StorageFact]
    public async Task StopAsync_RecordsStillQueued_DrainsThemBeforeReturning()
    {
        // A long flush interval and small batches keep records queued when the host stops.
        await using var harness = await Harness().WithSystemClock()
            .WithLedger(batchSize: 50, flushIntervalMs: 60_000).StartAsync();
        var records = new UsageRecordBuilder("org_x", "key_x", DateTimeOffset.UtcNow);
        for (var i = 0; i < 2_000; i++)
        {
            await harness.Ledger.WriteAsync(records.Build());
        }

        await harness.StopHostedServicesAsync();

        Assert.Equal(0, harness.Ledger.QueueDepth);
        Assert.Equal(2_000, await harness.ScalarAsync("SELECT COUNT(*) FROM usage_records"));
    }

    [StorageFact]
    public async Task WriteAsync_QueueFull_WaitsInsteadOfDropping()
    {
        // Memory durability: with the write-ahead log a write is acknowledged once on disk, before it is queued.
        await using var harness = await StorageHarness.For(provider).WithDurability(LedgerDurability.Memory).WithSystemClock()
            .WithLedger(capacity: 10).WithoutHostedServices().StartAsync();
        var records = new UsageRecordBuilder("org_x", "key_x", DateTimeOffset.UtcNow);
        for (var i = 0; i < 10; i++)
        {
            await harness.Ledger.WriteAsync(records.Build());
        }

        var eleventh = harness.Ledger.WriteAsync(records.Build()).AsTask();
        await Task.Delay(100);
        Assert.False(eleventh.IsCompleted);

        await harness.StartHostedServicesAsync();
        await eleventh.WaitAsync(TimeSpan.FromSeconds(10));
        await harness.Ledger.WhenIdleAsync();
        Assert.Equal(11, await harness.ScalarAsync("SELECT COUNT(*) FROM usage_records"));
    }

    [StorageFact]
    public async Task WriteAsync_Batch_SetsKeyLastUsedToLatestTimestamp()
    {
        await using var harness = await Harness().WithSystemClock().StartAsync();
        var (org, key) = await harness.AnOrg().CreateWithKeyAsync();
        var latest = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

        foreach (var minutesBefore in new[] { 5, 0, 3 })
        {
            await harness.Ledger.WriteAsync(new UsageRecordBuilder(org.Id, key.Key.Id, latest.AddMinutes(-minutesBefore)).Build());
        }
        await harness.Ledger.WhenIdleAsync();

        Assert.Equal(latest, (await harness.Keys.FindAsync(org.Id, key.Key.Id))!.LastUsedAt);
    }

    [StorageFact]
    public async Task WriteAsync_TextWithNulCharacter_IsStoredWithoutIt()
    {
        await using var harness = await Harness().WithSystemClock().StartAsync();

        await harness.Ledger.WriteAsync(new UsageRecordBuilder("org_x", "key_x", DateTimeOffset.UtcNow).Build() with { UserAgent = "evil\0agent" });
        await harness.Ledger.WhenIdleAsync();

        Assert.Contains("evilagent", await harness.QueryCellsAsync("SELECT user_agent FROM usage_records"));
    }
}

public sealed class LedgerSqliteTests() : LedgerTests(StorageProvider.Sqlite, LedgerDurability.Wal)
{
    [StorageFact]
    public async Task WriteAsync_DatabaseWriteLockedForOverOneSecond_RetriesAndLosesNothing()
    {
        // A one-second busy timeout makes the writer fail while another connection holds the lock, so it must retry.
        await using var harness = await Harness().WithSystemClock()
            .WithSqliteConnectionSuffix(";Default Timeout=1").WithLedger(batchSize: 100, flushIntervalMs: 10).StartAsync();
        using var failures = new FailureCounter();
        var records = new UsageRecordBuilder("org_x", "key_x", DateTimeOffset.UtcNow);

        await using (var blocker = new SqliteConnection(harness.ConnectionString))
        {
            await blocker.OpenAsync();
            await using var hold = blocker.CreateCommand();
            hold.CommandText = "BEGIN IMMEDIATE; INSERT INTO admin_tokens (id, token_hash, created_at) VALUES ('adm_lock', 'x', 0);";
            await hold.ExecuteNonQueryAsync();

            for (var i = 0; i < 1_000; i++)
            {
                await harness.Ledger.WriteAsync(records.Build());
            }
            await Task.Delay(TimeSpan.FromSeconds(1.5));

            hold.CommandText = "ROLLBACK;";
            await hold.ExecuteNonQueryAsync();
        }
        await harness.Ledger.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1_000, await harness.ScalarAsync("SELECT COUNT(*) FROM usage_records"));
        Assert.True(failures.Count > 0, "the writer should have met the lock and retried");
    }

    private sealed class FailureCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public FailureCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Moat.Ledger" && instrument.Name == "moat.ledger.write_failures")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}

[RequiresPostgres]
public sealed class LedgerPostgresTests() : LedgerTests(StorageProvider.Postgres, LedgerDurability.Wal);

public sealed class LedgerSqliteMemoryTests() : LedgerTests(StorageProvider.Sqlite, LedgerDurability.Memory);

public sealed class LedgerSqliteBufferedTests() : LedgerTests(StorageProvider.Sqlite, LedgerDurability.WalBuffered);

[RequiresPostgres]
public sealed class LedgerPostgresMemoryTests() : LedgerTests(StorageProvider.Postgres, LedgerDurability.Memory);
