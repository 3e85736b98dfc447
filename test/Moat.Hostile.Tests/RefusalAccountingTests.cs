using Microsoft.Extensions.Time.Testing;
using Moat.Core.Access;
using Moat.Core.Quotas;
using Moat.Hostile.Tests.Infrastructure;
using Moat.Storage.Entities;
using Moat.Testing;

namespace Moat.Hostile.Tests;

/// <summary>Row 6: a client hammering with refused requests must pay for them in RPM, and must not flood the ledger.</summary>
public sealed class RefusalAccountingTests
{
    private const string Body = "{\"model\":\"" + MoatTestHost.Model + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static readonly DateTimeOffset Noon = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Lets a minute pass on the fake clock and waits (real time, bounded) for summarised refusals to be flushed.</summary>
    private static async Task<List<UsageRecordEntity>> SettledLedgerAsync(MoatTestHost host, FakeTimeProvider clock, string orgId, int status, int expectedAttempts)
    {
        clock.Advance(TimeSpan.FromSeconds(61));
        var rows = await host.LedgerAsync(orgId);
        for (var i = 0; i < 30 && Ledger.HasColumn("Attempts") && rows.Where(r => r.Status == status).Sum(Ledger.Attempts) < expectedAttempts; i++)
        {
            await Task.Delay(100);
            clock.Advance(TimeSpan.FromSeconds(1));
            rows = await host.LedgerAsync(orgId);
        }
        return rows;
    }

    [Fact]
    public async Task Row06_TwoHundredRateLimitedRequests_AreSummarisedInLedger()
    {
        var clock = new FakeTimeProvider(Noon);
        await using var host = await MoatTestHost.StartAsync(b => b.Time = clock);
        var customer = await host.CreateCustomerAsync(limits: new QuotaLimits(5, null, null));
        using var http = host.Http(customer.Secret);

        var statuses = new List<int>();
        string lastRemaining = "";
        for (var i = 0; i < 200; i++)
        {
            var (status, text, response) = await Hosts.PostJsonAsync(http, "/v1/chat/completions", Body);
            statuses.Add(status);
            lastRemaining = Hosts.Header(response, "x-ratelimit-remaining-requests");
            if (status != 200)
            {
                Assert.Equal(429, status);
                Assert.Equal("rate_limit_exceeded", Errors.AssertShape(text));
            }
        }
        Assert.Equal(5, statuses.Count(s => s == 200));
        Assert.Equal("0", lastRemaining);

        var refusals = statuses.Count(s => s == 429);
        var rows = await SettledLedgerAsync(host, clock, customer.OrgId, 429, refusals);
        Assert.True(rows.Count <= 20, $"{rows.Count} ledger rows for {statuses.Count} requests: the refusals were not summarised");
        Assert.Equal(refusals, rows.Where(r => r.Status == 429).Sum(Ledger.Attempts));
        Assert.Equal(5, rows.Where(r => r.Status == 200).Sum(Ledger.Attempts));
    }

    [Fact]
    public async Task Row06_TwoHundredRequestsFromSuspendedOrg_CountAgainstRpmAndAreSummarisedInLedger()
    {
        var clock = new FakeTimeProvider(Noon);
        await using var host = await MoatTestHost.StartAsync(b => b.Time = clock);
        var customer = await host.CreateCustomerAsync(state: OrgState.Suspended, limits: new QuotaLimits(5, null, null));
        using var http = host.Http(customer.Secret);
        using var admin = new AdminClient(host);

        string lastRemaining = "";
        for (var i = 0; i < 200; i++)
        {
            var (status, text, response) = await Hosts.PostJsonAsync(http, "/v1/chat/completions", Body);
            Assert.True(status == 403, $"request {i} from a suspended org answered {status}: {text}");
            Assert.Equal("account_suspended", Errors.AssertShape(text));
            lastRemaining = Hosts.Header(response, "x-ratelimit-remaining-requests");
        }
        Assert.True(lastRemaining == "0", $"after 200 refused requests at 5 RPM, x-ratelimit-remaining-requests is '{lastRemaining}'");

        // Reinstated within the same minute: the 200 attempts already used the minute's requests.
        await admin.ReinstateAsync(customer.OrgId);
        var (afterStatus, afterText, _) = await Hosts.PostJsonAsync(http, "/v1/chat/completions", Body);
        Assert.True(afterStatus == 429, $"right after reinstatement, within the minute of 200 refused attempts, a request answered {afterStatus}: {afterText}");

        var rows = await SettledLedgerAsync(host, clock, customer.OrgId, 403, 200);
        Assert.True(rows.Count <= 20, $"{rows.Count} ledger rows for 201 requests: the refusals were not summarised");
        Assert.Equal(200, rows.Where(r => r.Status == 403).Sum(Ledger.Attempts));
    }

    [Fact]
    public async Task Row06_TwentyKilobyteUserAgent_IsStoredTruncated()
    {
        await using var host = await MoatTestHost.StartAsync();
        var customer = await host.CreateCustomerAsync();
        using var http = host.Http(customer.Secret);
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 " + new string('A', 20 * 1024));

        var (status, text, _) = await Hosts.PostJsonAsync(http, "/v1/chat/completions", Body);

        Assert.True(status == 200, $"{status}: {text}");
        var row = Assert.Single(await host.LedgerAsync(customer.OrgId));
        Assert.NotNull(row.UserAgent);
        Assert.True(row.UserAgent!.Length <= 256, $"the ledger stored a {row.UserAgent.Length}-character User-Agent");
        Assert.StartsWith("Mozilla/5.0 AAA", row.UserAgent, StringComparison.Ordinal);
    }
}
