using Moat.Storage.Tests.Infrastructure;

namespace Moat.Storage.Tests;

public abstract class AdminTokenStoreTests(StorageProvider provider)
{
    [StorageFact]
    public async Task EnsureAsync_NothingConfigured_GeneratesOnceAndStoresOnlyItsHash()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();

        var generated = await harness.AdminTokens.EnsureAsync(null);
        var again = await harness.AdminTokens.EnsureAsync(null);
        var cells = await harness.QueryCellsAsync("SELECT * FROM admin_tokens");

        Assert.NotNull(generated);
        Assert.StartsWith(AdminTokenStore.TokenPrefix, generated);
        Assert.Null(again);
        Assert.DoesNotContain(cells, cell => cell.Contains(generated, StringComparison.Ordinal));
        Assert.True(await harness.AdminTokens.VerifyAsync(generated));
        Assert.False(await harness.AdminTokens.VerifyAsync(generated + "x"));
    }

    [StorageFact]
    public async Task VerifyAsync_TokenGeneratedByAnotherReplica_Accepted()
    {
        await using var first = await StorageHarness.For(provider).StartAsync();
        var generated = await first.AdminTokens.EnsureAsync(null);
        await using var second = await first.CreatePeerAsync();

        Assert.True(await second.AdminTokens.VerifyAsync(generated!));
    }

    [StorageFact]
    public async Task EnsureAsync_TokenConfigured_OnlyTheConfiguredTokenIsAccepted()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        var stored = await harness.AdminTokens.EnsureAsync(null);

        var generated = await harness.AdminTokens.EnsureAsync("configured-admin-token");

        Assert.Null(generated);
        Assert.True(await harness.AdminTokens.VerifyAsync("configured-admin-token"));
        Assert.False(await harness.AdminTokens.VerifyAsync(stored!));
        Assert.False(await harness.AdminTokens.VerifyAsync(""));
    }
}

public sealed class AdminTokenStoreSqliteTests() : AdminTokenStoreTests(StorageProvider.Sqlite);

[RequiresPostgres]
public sealed class AdminTokenStorePostgresTests() : AdminTokenStoreTests(StorageProvider.Postgres);
