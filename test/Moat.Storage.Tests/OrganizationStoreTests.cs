using Moat.Core.Access;
using Moat.Core.Quotas;
using Moat.Storage.Tests.Infrastructure;

namespace Moat.Storage.Tests;

public abstract class OrganizationStoreTests(StorageProvider provider)
{
    [StorageFact]
    public async Task CreateAsync_NewOrganization_FoundWithSameFields()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();

        var created = await harness.AnOrg().Named("Globex").OnTier("trial").InState(OrgState.Pending).CreateAsync();
        var found = await harness.Organizations.FindAsync(created.Id);

        Assert.NotNull(found);
        Assert.Matches("^org_[0-9a-f]{24}$", found.Id);
        Assert.Equal("Globex", found.Name);
        Assert.Equal("trial", found.Tier);
        Assert.Equal(OrgState.Pending, found.State);
        Assert.Equal(StorageHarness.Epoch, found.CreatedAt);
        Assert.Equal("ops@acme.test", found.ContactEmail);
    }

    [StorageFact]
    public async Task ListAsync_MoreThanOnePage_ReturnsEveryOrgOnceInCreationOrder()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            harness.Clock.Advance(TimeSpan.FromSeconds(1));
            ids.Add((await harness.AnOrg().Named($"org {i}").CreateAsync()).Id);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await harness.Organizations.ListAsync(cursor, limit: 3);
            seen.AddRange(page.Data.Select(o => o.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(ids, seen);
    }

    [StorageFact]
    public async Task TransitionAsync_IllegalAction_ReportsIllegalAndKeepsState()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        var org = await harness.AnOrg().InState(OrgState.Suspended).CreateAsync();

        var result = await harness.TransitionAsync(org.Id, OrgAction.Throttle);

        Assert.Equal(OrgTransitionOutcome.Illegal, result.Outcome);
        Assert.Equal(OrgState.Suspended, (await harness.Organizations.FindAsync(org.Id))!.State);
    }

    [StorageFact]
    public async Task TransitionAsync_LegalAction_AppliesAndBumpsVersion()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        var org = await harness.AnOrg().CreateAsync();

        var result = await harness.TransitionAsync(org.Id, OrgAction.Warn);

        Assert.Equal(OrgTransitionOutcome.Applied, result.Outcome);
        Assert.Equal(OrgState.Active, result.From);
        var stored = await harness.Organizations.FindAsync(org.Id);
        Assert.Equal(OrgState.Warned, stored!.State);
        Assert.Equal(org.Version + 1, stored.Version);
    }

    [StorageFact]
    public async Task TransitionAsync_UnknownOrg_ReportsNotFound()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();

        var result = await harness.TransitionAsync("org_000000000000000000000000", OrgAction.Suspend);

        Assert.Equal(OrgTransitionOutcome.NotFound, result.Outcome);
    }

    [StorageFact]
    public async Task UpdateLimitsAsync_Overrides_StoredAndClearedByNull()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        var org = await harness.AnOrg().CreateAsync();

        await harness.Organizations.UpdateLimitsAsync(org.Id, new QuotaLimits(5, 1000, null));
        var limited = await harness.Organizations.FindAsync(org.Id);
        await harness.Organizations.UpdateLimitsAsync(org.Id, QuotaLimits.Inherit);
        var cleared = await harness.Organizations.FindAsync(org.Id);

        Assert.Equal((5, 1000L, (long?)null), (limited!.RequestsPerMinute!.Value, limited.TokensPerMinute!.Value, limited.TokensPerDay));
        Assert.Null(cleared!.RequestsPerMinute);
        Assert.Null(cleared.TokensPerMinute);
    }
}

public sealed class OrganizationStoreSqliteTests() : OrganizationStoreTests(StorageProvider.Sqlite);

[RequiresPostgres]
public sealed class OrganizationStorePostgresTests() : OrganizationStoreTests(StorageProvider.Postgres);
