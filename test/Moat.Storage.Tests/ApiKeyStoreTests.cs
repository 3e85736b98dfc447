using Moat.Core.Access;
using Moat.Storage.Tests.Infrastructure;

namespace Moat.Storage.Tests;

public abstract class ApiKeyStoreTests(StorageProvider provider)
{
    [StorageFact]
    public async Task CreateAsync_NewKey_DatabaseHoldsHashAndPrefixButNeverTheSecret()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();

        var (_, key) = await harness.AnOrg().CreateWithKeyAsync();
        var cells = await harness.QueryCellsAsync("SELECT * FROM api_keys");

        Assert.StartsWith(ApiKeySecret.Prefix, key.Secret);
        Assert.Matches("^key_[0-9a-f]{24}$", key.Key.Id);
        Assert.Contains(ApiKeySecret.Hash(key.Secret), cells);
        Assert.Contains(ApiKeySecret.DisplayPrefix(key.Secret), cells);
        Assert.DoesNotContain(cells, cell => cell.Contains(key.Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(key.Secret, key.ToString(), StringComparison.Ordinal);
    }

    [StorageFact]
    public async Task CreateAsync_UnknownOrg_ReturnsNull()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();

        Assert.Null(await harness.Keys.CreateAsync("org_000000000000000000000000", "orphan"));
    }

    [StorageFact]
    public async Task ListAsync_TwoKeys_ListsBothWithoutSecrets()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        var (org, first) = await harness.AnOrg().CreateWithKeyAsync();
        var second = await harness.Keys.CreateAsync(org.Id, "batch");

        var keys = await harness.Keys.ListAsync(org.Id);

        Assert.Equal(new[] { first.Key.Id, second!.Key.Id }.Order(StringComparer.Ordinal), keys.Select(k => k.Id).Order(StringComparer.Ordinal));
        Assert.All(keys, k => Assert.StartsWith(ApiKeySecret.Prefix, k.Prefix));
    }

    [StorageFact]
    public async Task RevokeAsync_Key_DirectoryRefusesItAsSoonAsTheCallReturns()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        var (org, key) = await harness.AnOrg().CreateWithKeyAsync();
        Assert.True(harness.Directory.FindByHash(key.Key.KeyHash)!.IsUsableAt(harness.Clock.GetUtcNow()));

        await harness.RevokeKeyAsync(org.Id, key.Key.Id);

        var entry = harness.Directory.FindByHash(key.Key.KeyHash);
        Assert.NotNull(entry);
        Assert.Equal(StorageHarness.Epoch, entry.RevokedAt);
        Assert.False(entry.IsUsableAt(harness.Clock.GetUtcNow()));
    }

    [StorageFact]
    public async Task RotateAsync_WithGrace_OldKeyWorksUntilGraceEndsAndNewKeyWorks()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        var (org, old) = await harness.AnOrg().CreateWithKeyAsync();

        var rotated = await harness.RotateKeyAsync(org.Id, old.Key.Id, TimeSpan.FromHours(1));

        Assert.NotNull(rotated);
        Assert.Equal(old.Key.Id, rotated.Key.RotatedFromId);
        Assert.NotEqual(old.Secret, rotated.Secret);
        var oldEntry = harness.Directory.FindByHash(old.Key.KeyHash)!;
        var newEntry = harness.Directory.FindByHash(ApiKeySecret.Hash(rotated.Secret))!;
        Assert.True(oldEntry.IsUsableAt(StorageHarness.Epoch.AddMinutes(59)));
        Assert.False(oldEntry.IsUsableAt(StorageHarness.Epoch.AddHours(1)));
        Assert.True(newEntry.IsUsableAt(StorageHarness.Epoch.AddDays(30)));
    }

    [StorageFact]
    public async Task RotateAsync_RevokedKey_ReturnsNull()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        var (org, key) = await harness.AnOrg().CreateWithKeyAsync();
        await harness.RevokeKeyAsync(org.Id, key.Key.Id);

        Assert.Null(await harness.RotateKeyAsync(org.Id, key.Key.Id, TimeSpan.FromHours(1)));
    }
}

public sealed class ApiKeyStoreSqliteTests() : ApiKeyStoreTests(StorageProvider.Sqlite);

[RequiresPostgres]
public sealed class ApiKeyStorePostgresTests() : ApiKeyStoreTests(StorageProvider.Postgres);
