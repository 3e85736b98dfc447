using Moat.Core.Access;
using Moat.Core.Quotas;
using Moat.Storage.Tests.Infrastructure;

namespace Moat.Storage.Tests;

public abstract class KeyDirectoryTests(StorageProvider provider)
{
    private static readonly TierOptions Standard = DefaultTiers.Create()["standard"];

    [StorageFact]
    public async Task FindByHash_NewKey_CarriesOrgAndTierLimits()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        var (org, key) = await harness.AnOrg().Named("Initech").CreateWithKeyAsync();

        var entry = harness.Directory.FindByHash(key.Key.KeyHash);

        Assert.NotNull(entry);
        Assert.Equal((org.Id, "Initech", OrgState.Active, "standard"), (entry.OrgId, entry.OrgName, entry.State, entry.Tier));
        Assert.Equal(Standard.Limits, entry.OrgLimits);
        Assert.Null(entry.KeyLimits);
        Assert.Equal(Standard.DefaultMaxTokens, entry.DefaultMaxTokens);
    }

    [StorageFact]
    public async Task FindByHash_UnknownHash_ReturnsNull()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();

        Assert.Null(harness.Directory.FindByHash(ApiKeySecret.Hash(ApiKeySecret.Generate())));
    }

    [StorageFact]
    public async Task TransitionAsync_Suspend_VisibleInDirectoryWhenPublished()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        var (org, key) = await harness.AnOrg().CreateWithKeyAsync();

        await harness.TransitionAsync(org.Id, OrgAction.Suspend);

        Assert.Equal(OrgState.Suspended, harness.Directory.FindByHash(key.Key.KeyHash)!.State);
    }

    [StorageFact]
    public async Task FindByHash_ThrottledOrg_ScalesOrgAndKeyLimitsByThrottleFactor()
    {
        await using var harness = await StorageHarness.For(provider)
            .WithSetting("Moat:ThrottleFactor", "0.5")
            .StartAsync();
        var (org, key) = await harness.AnOrg().CreateWithKeyAsync();
        await harness.Organizations.UpdateLimitsAsync(org.Id, new QuotaLimits(100, null, null));
        await harness.Keys.UpdateLimitsAsync(org.Id, key.Key.Id, new QuotaLimits(10, 5_000, null));

        await harness.TransitionAsync(org.Id, OrgAction.Throttle);
        var entry = harness.Directory.FindByHash(key.Key.KeyHash)!;

        Assert.Equal(OrgState.Throttled, entry.State);
        Assert.Equal(new QuotaLimits(50, Standard.TokensPerMinute / 2, Standard.TokensPerDay / 2), entry.OrgLimits);
        Assert.Equal(new QuotaLimits(5, 2_500, null), entry.KeyLimits);
    }

    [StorageFact]
    public async Task RefreshAllAsync_RowChangedBehindTheStoresBack_PicksUpTheChange()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        var (org, key) = await harness.AnOrg().CreateWithKeyAsync();
        await harness.ExecuteSqlAsync($"UPDATE organizations SET state = 'terminated' WHERE id = '{org.Id}'");
        Assert.Equal(OrgState.Active, harness.Directory.FindByHash(key.Key.KeyHash)!.State);

        await harness.Directory.RefreshAllAsync();

        Assert.Equal(OrgState.Terminated, harness.Directory.FindByHash(key.Key.KeyHash)!.State);
    }

    [StorageFact]
    public async Task StartAsync_ExistingKeys_LoadedBeforeServing()
    {
        await using var first = await StorageHarness.For(provider).StartAsync();
        var (_, key) = await first.AnOrg().CreateWithKeyAsync();

        await using var replica = await first.CreatePeerAsync();

        Assert.NotNull(replica.Directory.FindByHash(key.Key.KeyHash));
    }
}

public sealed class KeyDirectorySqliteTests() : KeyDirectoryTests(StorageProvider.Sqlite);

[RequiresPostgres]
public sealed class KeyDirectoryPostgresTests() : KeyDirectoryTests(StorageProvider.Postgres);
