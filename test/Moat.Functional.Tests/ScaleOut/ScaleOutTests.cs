using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Moat.Core.Quotas;
using Moat.Functional.Tests.Infrastructure;
using Moat.Testing;
using Npgsql;

namespace Moat.Functional.Tests.ScaleOut;

/// <summary>Two replicas on one PostgreSQL database and one Redis: limits and suspensions hold across them.</summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    private string? _database;
    private string? _adminConnection;
    private MoatTestHost? _a;
    private MoatTestHost? _b;

    private static string? Postgres => Environment.GetEnvironmentVariable("MOAT_TEST_POSTGRES");
    private static string? Redis => Environment.GetEnvironmentVariable("MOAT_TEST_REDIS");
    private static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public async Task InitializeAsync()
    {
        if (Postgres is null || Redis is null)
        {
            return;
        }
        _adminConnection = Postgres;
        _database = "moat_scale_" + Guid.NewGuid().ToString("n")[..12];
        await using (var connection = new NpgsqlConnection(_adminConnection))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(_adminConnection) { Database = _database }.ConnectionString;
        var prefix = "moat-test-" + _database;
        void Replica(MoatTestHostBuilder b) => b
            .Set("Moat:Storage:Provider", "Postgres")
            .Set("Moat:Storage:ConnectionString", connectionString)
            .Set("Moat:Redis:ConnectionString", Redis!)
            .Set("Moat:Redis:KeyPrefix", prefix);
        _a = await MoatTestHost.StartAsync(Replica);
        _b = await MoatTestHost.StartAsync(Replica);
    }

    public async Task DisposeAsync()
    {
        if (_a is not null)
        {
            await _a.DisposeAsync();
        }
        if (_b is not null)
        {
            await _b.DisposeAsync();
        }
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnection);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private bool Available()
    {
        if (_a is not null)
        {
            return true;
        }
        Assert.False(InCi, "MOAT_TEST_POSTGRES and MOAT_TEST_REDIS must be set under CI (test.sh starts both).");
        return false;
    }

    private static Task<HttpResponseMessage> ChatAsync(HttpClient http) =>
        http.PostAsJsonAsync("/v1/chat/completions", new { model = MoatTestHost.Model, max_tokens = 8, messages = new[] { new { role = "user", content = "hi" } } });

    private static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (await condition())
            {
                return clock.Elapsed;
            }
            await Task.Delay(20);
        }
        return clock.Elapsed;
    }

    [Fact]
    public async Task KeyCreatedOnOneReplica_ServedByTheOther()
    {
        if (!Available())
        {
            return;
        }
        var customer = await _a!.CreateCustomerAsync();
        using var http = _b!.Http(customer.Secret);

        var elapsed = await UntilAsync(async () => (await ChatAsync(http)).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(5));

        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"replica B served the new key only after {elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task SuspensionOnOneReplica_RefusedOnTheOtherWithinOneSecond()
    {
        if (!Available())
        {
            return;
        }
        var customer = await _a!.CreateCustomerAsync();
        using var onB = _b!.Http(customer.Secret);
        await UntilAsync(async () => (await ChatAsync(onB)).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(5));
        using var admin = _a.Http();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MoatTestHost.AdminToken);

        var suspend = await admin.PostAsJsonAsync($"/admin/v1/organizations/{customer.OrgId}/suspend", new { reason = "scale-out test" });
        suspend.EnsureSuccessStatusCode();
        var elapsed = await UntilAsync(async () => (await ChatAsync(onB)).StatusCode == HttpStatusCode.Forbidden, TimeSpan.FromSeconds(5));

        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"replica B still served {elapsed.TotalMilliseconds} ms after the suspension");
    }

    [Fact]
    public async Task SixtyFourRacersAcrossReplicas_LimitTen_ExactlyTenAdmitted()
    {
        if (!Available())
        {
            return;
        }
        var customer = await _a!.CreateCustomerAsync(limits: new QuotaLimits(10, null, null));
        using var onA = _a.Http(customer.Secret);
        using var onB = _b!.Http(customer.Secret);
        await UntilAsync(async () => (await onB.GetAsync("/v1/models")).IsSuccessStatusCode, TimeSpan.FromSeconds(5));
        using var start = new SemaphoreSlim(0);

        var racers = Enumerable.Range(0, 64).Select(async i =>
        {
            await start.WaitAsync();
            return (await ChatAsync(i % 2 == 0 ? onA : onB)).StatusCode;
        }).ToArray();
        start.Release(64);
        var statuses = await Task.WhenAll(racers);

        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(54, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }
}

/// <summary>The tested policy for an unreachable Redis: keep serving with per-replica limits.</summary>
public sealed class RedisUnavailableTests
{
    [Fact]
    public async Task RedisDown_LocalPolicy_RequestsStillServedAndLimited()
    {
        await using var host = await MoatTestHost.StartAsync(b => b
            .Set("Moat:Redis:ConnectionString", "127.0.0.1:1,connectRetry=0")
            .Set("Moat:Redis:CommandTimeoutMs", 100));
        var customer = await host.CreateCustomerAsync(limits: new QuotaLimits(2, null, null));
        using var http = host.Http(customer.Secret);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await http.PostAsJsonAsync("/v1/chat/completions", new { model = MoatTestHost.Model, messages = new[] { new { role = "user", content = "hi" } } })).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
