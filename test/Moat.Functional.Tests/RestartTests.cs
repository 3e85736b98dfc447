using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moat.Core.Quotas;
using Moat.Testing;

namespace Moat.Functional.Tests;

/// <summary>Issue 9 row 4: a restart (deploy, crash) must not hand an organisation a fresh day or a fresh minute.</summary>
public sealed class RestartTests
{
    private static string? Redis => Environment.GetEnvironmentVariable("MOAT_TEST_REDIS");
    private static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static Task<HttpResponseMessage> ChatAsync(HttpClient http) =>
        http.PostAsJsonAsync("/v1/chat/completions", new { model = MoatTestHost.Model, max_tokens = 40, messages = new[] { new { role = "user", content = "hello there" } } });

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? null : JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString();

    /// <summary>Uses the day's budget up on one process, restarts on the same data, and asks again.</summary>
    private static async Task<(int Served, string? AfterRestart, string? OtherMinuteAfterRestart)> ExhaustRestartAndRetryAsync(Action<MoatTestHostBuilder>? extra = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "moat-tests", "restart-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dataDir);
        void Configure(MoatTestHostBuilder b)
        {
            b.Set("Moat:DataDir", dataDir);
            extra?.Invoke(b);
        }

        Customer customer;
        Customer minuteCustomer;
        var served = 0;
        await using (var host = await MoatTestHost.StartAsync(Configure))
        {
            customer = await host.CreateCustomerAsync(limits: new QuotaLimits(1000, null, 400), name: "Daily");
            minuteCustomer = await host.CreateCustomerAsync(limits: new QuotaLimits(3, null, null), name: "Minute");
            using var http = host.Http(customer.Secret);
            for (var i = 0; i < 50; i++)
            {
                var response = await ChatAsync(http);
                if (!response.IsSuccessStatusCode)
                {
                    Assert.Equal("insufficient_quota", await CodeAsync(response));
                    break;
                }
                served++;
            }
            using var minuteHttp = host.Http(minuteCustomer.Secret);
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await ChatAsync(minuteHttp)).StatusCode);
            }
        }

        await using var restarted = await MoatTestHost.StartAsync(Configure);
        using var again = restarted.Http(customer.Secret);
        using var minuteAgain = restarted.Http(minuteCustomer.Secret);
        return (served, await CodeAsync(await ChatAsync(again)), await CodeAsync(await ChatAsync(minuteAgain)));
    }

    [Fact]
    public async Task Restart_InProcessLimiter_ResumesDailyAndMinuteCountersFromTheLedger()
    {
        var (served, afterRestart, minuteAfterRestart) = await ExhaustRestartAndRetryAsync();

        Assert.InRange(served, 1, 49);
        Assert.Equal("insufficient_quota", afterRestart);
        Assert.Equal("rate_limit_exceeded", minuteAfterRestart);
    }

    [Fact]
    public async Task Restart_RedisLimiter_KeepsCountersInRedis()
    {
        if (Redis is null)
        {
            Assert.False(InCi, "MOAT_TEST_REDIS must be set under CI (test.sh starts Redis).");
            return;
        }
        var prefix = "moat-restart-" + Guid.NewGuid().ToString("n")[..12];
        var (served, afterRestart, minuteAfterRestart) = await ExhaustRestartAndRetryAsync(b => b
            .Set("Moat:Redis:ConnectionString", Redis)
            .Set("Moat:Redis:KeyPrefix", prefix));

        Assert.InRange(served, 1, 49);
        Assert.Equal("insufficient_quota", afterRestart);
        Assert.Equal("rate_limit_exceeded", minuteAfterRestart);
    }
}
