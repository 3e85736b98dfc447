using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moat.Core.Quotas;
using Moat.Detection;
using Moat.Detection.Enforcement;
using Moat.Functional.Tests.Admin;
using Moat.Testing;
using Npgsql;

namespace Moat.Functional.Tests.Detection;

/// <summary>
/// Detection state across a restart of the real host on the same database: the risk history, peak and score read back,
/// and an organisation already warned in its current crossing is not warned again.
/// </summary>
public abstract class DetectionRestartTests : IAsyncLifetime
{
    private const double WarnAt = 50;

    /// <summary>Settings that point both hosts at the same database, or null when the provider is unavailable here.</summary>
    protected abstract Task<Action<MoatTestHostBuilder>?> DatabaseAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Restart_WarnedAndReinstatedOrg_HistoryAndPeakRestoredAndNotWarnedAgain()
    {
        if (await DatabaseAsync() is not { } database)
        {
            return;
        }
        var dataDir = Path.Combine(Path.GetTempPath(), "moat-tests", "detection-restart-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dataDir);
        void Configure(MoatTestHostBuilder b)
        {
            database(b);
            b.Set("Moat:DataDir", dataDir)
                // Only the warning fires, so the org can be reinstated to active and a second warning would be legal.
                .Set("Moat:Enforcement:ThrottleAt", 99.7)
                .Set("Moat:Enforcement:CaseAt", 99.8)
                .Set("Moat:Enforcement:SuspendAt", 99.9);
        }

        Customer harvester;
        JsonElement before;
        await using (var host = await MoatTestHost.StartAsync(Configure))
        {
            using var admin = new AdminApi(host);
            harvester = await host.CreateCustomerAsync(limits: new QuotaLimits(100_000, null, null), name: "Harvest Labs");
            using var traffic = new TenantTraffic(host, harvester, seed: 11);
            var policy = host.Services.GetRequiredService<PolicyEngine>();
            for (var sent = 0; sent < 600 && !policy.TakenFor(harvester.OrgId).HasFlag(EnforcementStep.Warn); sent++)
            {
                (await traffic.SendWordProblemAsync()).Dispose();
                if (sent % 10 == 9)
                {
                    await host.Services.GetRequiredService<DetectionEngine>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
            Assert.True(policy.TakenFor(harvester.OrgId).HasFlag(EnforcementStep.Warn), "the harvester was never warned");
            (await admin.PostAsync($"/admin/v1/organizations/{harvester.OrgId}/reinstate", new { reason = "spoke to the customer" }))
                .AssertStatus(HttpStatusCode.OK);
            before = await RiskAsync(admin, harvester.OrgId);
            Assert.NotEmpty(before.GetProperty("history").EnumerateArray());
        }

        await using var restarted = await MoatTestHost.StartAsync(Configure);
        using var again = new AdminApi(restarted);
        var after = await RiskAsync(again, harvester.OrgId);

        AssertSameHistory(before.GetProperty("history"), after.GetProperty("history"));
        Assert.Equal(before.GetProperty("peak_score").GetDouble(), after.GetProperty("peak_score").GetDouble());
        Assert.Equal(before.GetProperty("score").GetDouble(), after.GetProperty("score").GetDouble());
        Assert.Equal(before.GetProperty("level").GetString(), after.GetProperty("level").GetString());
        var leaderboard = (await again.GetAsync("/admin/v1/risk")).Json.GetProperty("data");
        Assert.Equal(harvester.OrgId, leaderboard[0].GetProperty("org_id").GetString());

        // The same harvesting goes on after the restart and its score crosses the warning threshold again.
        using (var traffic = new TenantTraffic(restarted, harvester, seed: 12))
        {
            var score = 0.0;
            for (var sent = 0; sent < 600 && score < WarnAt + 5; sent++)
            {
                (await traffic.SendWordProblemAsync()).Dispose();
                if (sent % 10 == 9)
                {
                    await restarted.Services.GetRequiredService<DetectionEngine>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
                    score = (await RiskAsync(again, harvester.OrgId)).GetProperty("score").GetDouble();
                }
            }
            Assert.True(score >= WarnAt, $"score {score} never crossed the warning threshold again");
        }

        var warnings = (await again.GetAsync($"/admin/v1/audit?action=org.warn&subject={harvester.OrgId}")).Json.GetProperty("data");
        Assert.Equal(1, warnings.GetArrayLength());
        var organization = await again.GetAsync($"/admin/v1/organizations/{harvester.OrgId}");
        Assert.Equal("active", organization.Json.GetProperty("state").GetString());
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<JsonElement> RiskAsync(AdminApi admin, string orgId)
    {
        var risk = await admin.GetAsync($"/admin/v1/risk/{orgId}");
        risk.AssertStatus(HttpStatusCode.OK);
        return risk.Json;
    }

    private static void AssertSameHistory(JsonElement expected, JsonElement actual)
    {
        var a = expected.EnumerateArray().ToList();
        var b = actual.EnumerateArray().ToList();
        Assert.Equal(a.Count, b.Count);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].GetProperty("score").GetDouble(), b[i].GetProperty("score").GetDouble());
            Assert.Equal(a[i].GetProperty("level").GetString(), b[i].GetProperty("level").GetString());
            // PostgreSQL keeps microseconds, .NET ticks are 100 ns.
            var drift = a[i].GetProperty("at").GetDateTimeOffset() - b[i].GetProperty("at").GetDateTimeOffset();
            Assert.True(drift.Duration() < TimeSpan.FromMilliseconds(1), $"snapshot {i}: {a[i]} vs {b[i]}");
        }
    }
}

/// <summary>The embedded default: a SQLite file in the data directory both hosts share.</summary>
public sealed class DetectionRestartSqliteTests : DetectionRestartTests
{
    protected override Task<Action<MoatTestHostBuilder>?> DatabaseAsync() => Task.FromResult<Action<MoatTestHostBuilder>?>(_ => { });
}

/// <summary>Scale-out storage: a throwaway PostgreSQL database (MOAT_TEST_POSTGRES; required under CI=true).</summary>
public sealed class DetectionRestartPostgresTests : DetectionRestartTests
{
    private string? _database;
    private string? _server;

    private static string? Postgres => Environment.GetEnvironmentVariable("MOAT_TEST_POSTGRES");
    private static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public override async Task InitializeAsync()
    {
        if (Postgres is null)
        {
            return;
        }
        _server = Postgres;
        _database = "moat_restart_" + Guid.NewGuid().ToString("n")[..12];
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", connection);
        await create.ExecuteNonQueryAsync();
    }

    public override async Task DisposeAsync()
    {
        if (_database is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    protected override Task<Action<MoatTestHostBuilder>?> DatabaseAsync()
    {
        if (_database is null)
        {
            Assert.False(InCi, "MOAT_TEST_POSTGRES must be set under CI (test.sh starts PostgreSQL).");
            return Task.FromResult<Action<MoatTestHostBuilder>?>(null);
        }
        var connectionString = new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString;
        return Task.FromResult<Action<MoatTestHostBuilder>?>(b => b
            .Set("Moat:Storage:Provider", "Postgres")
            .Set("Moat:Storage:ConnectionString", connectionString));
    }
}
