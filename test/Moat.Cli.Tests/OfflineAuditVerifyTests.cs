using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moat.Cli.Tests.Infrastructure;
using Moat.Storage;

namespace Moat.Cli.Tests;

/// <summary>`moat audit verify` reads the database directly, with the server's configuration, and names the first broken entry.</summary>
public sealed class OfflineAuditVerifyTests : IAsyncLifetime
{
    private CliTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await CliTestHost.StartAsync();
        var audit = _host.Services.GetRequiredService<AuditLog>();
        for (var i = 1; i <= 4; i++)
        {
            await audit.AppendAsync("alice", "org.warn", $"org_{i}", new { reason = $"test {i}" });
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AuditVerify_IntactChain_PrintsValidWithEntryCountAndExitsZero()
    {
        var entries = await CountAsync();

        var run = await CliRun.InvokeAsync("audit", "verify", _host.DataDirArgument);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal($"audit chain valid: {entries} entries", run.Out.Trim());
    }

    [Fact]
    public async Task AuditVerify_TamperedRow_ExitsOneNamingTheFirstBrokenSeq()
    {
        var entries = await CountAsync();
        var tampered = entries - 1;
        await using (var db = await _host.Services.GetRequiredService<IDbContextFactory<MoatDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE audit_entries SET actor = 'mallory' WHERE seq = {tampered}");
        }

        var run = await CliRun.InvokeAsync("audit", "verify", _host.DataDirArgument);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"audit chain BROKEN at seq {tampered} ({entries} entries checked)", run.Error);
    }

    [Fact]
    public async Task AuditVerify_ConfigFile_IsReadLikeTheServer()
    {
        var config = Path.Combine(_host.DataDir, "moat.json");
        await File.WriteAllTextAsync(config, $$"""{ "Moat": { "DataDir": "{{_host.DataDir.Replace("\\", "\\\\")}}" } }""");

        var run = await CliRun.InvokeAsync("audit", "verify", "--config", config);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("audit chain valid:", run.Out);
    }

    [Fact]
    public async Task AuditVerify_NoDatabaseThere_ExitsThreeWithoutCreatingOne()
    {
        var empty = Path.Combine(_host.DataDir, "empty");

        var run = await CliRun.InvokeAsync("audit", "verify", $"--Moat:DataDir={empty}");

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("no database at", run.Error);
        Assert.False(File.Exists(Path.Combine(empty, "moat.db")));
    }

    [Fact]
    public async Task AuditVerify_MissingConfigFile_ExitsTwo()
    {
        var run = await CliRun.InvokeAsync("audit", "verify", "--config", Path.Combine(_host.DataDir, "absent.json"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("absent.json", run.Error);
    }

    private async Task<int> CountAsync()
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<MoatDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.CountAsync();
    }
}
