using Moat.Storage.Tests.Infrastructure;

namespace Moat.Storage.Tests;

public abstract class UsageStoreTests(StorageProvider provider)
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [StorageFact]
    public async Task QueryAsync_GroupByHour_OneBucketPerHourWithTotals()
    {
        await using var harness = await StartWithUsageAsync();

        var buckets = await harness.Usage.QueryAsync(new UsageQuery(OrgId: "org_a", To: Noon.AddHours(2), GroupBy: UsageGrouping.Hour));

        Assert.Equal([Noon, Noon.AddHours(1)], buckets.Select(b => b.Start!.Value));
        Assert.Equal((2L, 20L, 40L, 1L), (buckets[0].Requests, buckets[0].PromptTokens, buckets[0].CompletionTokens, buckets[0].Errors));
        Assert.Equal((1L, 0L), (buckets[1].Requests, buckets[1].Errors));
    }

    [StorageFact]
    public async Task QueryAsync_GroupByDay_SpansDaysInUtc()
    {
        await using var harness = await StartWithUsageAsync();

        var buckets = await harness.Usage.QueryAsync(new UsageQuery(GroupBy: UsageGrouping.Day));

        Assert.Equal([Noon.Date, Noon.Date.AddDays(1)], buckets.Select(b => b.Start!.Value.UtcDateTime));
        Assert.Equal([4L, 1L], buckets.Select(b => b.Requests));
    }

    [StorageFact]
    public async Task QueryAsync_FiltersByKeyModelAndRange_CountsOnlyMatches()
    {
        await using var harness = await StartWithUsageAsync();

        var total = await harness.Usage.QueryAsync(new UsageQuery(KeyId: "key_a1", Model: "moat-small", From: Noon, To: Noon.AddHours(1)));
        var count = await harness.Usage.CountAsync(new UsageQuery(OrgId: "org_b"));

        Assert.Equal(1, total.Single().Requests);
        Assert.Null(total.Single().Start);
        Assert.Equal(1, count);
    }

    [StorageFact]
    public async Task QueryAsync_NoRows_ReturnsZeroTotals()
    {
        await using var harness = await StorageHarness.For(provider).WithSystemClock().StartAsync();

        var totals = await harness.Usage.QueryAsync(new UsageQuery(OrgId: "org_nobody"));

        Assert.Equal(0, totals.Single().Requests);
    }

    private async Task<StorageHarness> StartWithUsageAsync()
    {
        var harness = await StorageHarness.For(provider).WithSystemClock().StartAsync();
        UsageRecordBuilder[] rows =
        [
            new("org_a", "key_a1", Noon.AddMinutes(5)),
            new("org_a", "key_a2", Noon.AddMinutes(30)) { Status = 502, Model = "moat-large" },
            new("org_a", "key_a1", Noon.AddMinutes(65)),
            new("org_b", "key_b1", Noon.AddMinutes(10)),
            new("org_a", "key_a1", Noon.AddDays(1)),
        ];
        foreach (var row in rows)
        {
            await harness.Ledger.WriteAsync(row.Build());
        }
        await harness.Ledger.WhenIdleAsync();
        return harness;
    }
}

public sealed class UsageStoreSqliteTests() : UsageStoreTests(StorageProvider.Sqlite);

[RequiresPostgres]
public sealed class UsageStorePostgresTests() : UsageStoreTests(StorageProvider.Postgres);
