using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using Moat.Core.Quotas;
using Moat.Functional.Tests.Infrastructure;
using Moat.Testing;

namespace Moat.Functional.Tests;

/// <summary>Quotas through the real host, on a fake clock.</summary>
public sealed class QuotaTests
{
    private static Task<HttpResponseMessage> ChatAsync(HttpClient http, int maxTokens = 16) =>
        http.PostAsJsonAsync("/v1/chat/completions", new { model = MoatTestHost.Model, max_tokens = maxTokens, messages = new[] { new { role = "user", content = "hi" } } });

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    [Fact]
    public async Task RequestsPerMinute_ExactAdmissionHeadersAndRetryAfter()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        await using var host = await MoatTestHost.StartAsync(b => b.Time = clock);
        var customer = await host.CreateCustomerAsync(limits: new QuotaLimits(3, null, null));
        using var http = host.Http(customer.Secret);

        var remaining = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var ok = await ChatAsync(http);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("3", Header(ok, "x-ratelimit-limit-requests"));
            remaining.Add(Header(ok, "x-ratelimit-remaining-requests"));
        }
        var refused = await ChatAsync(http);

        Assert.Equal(["2", "1", "0"], remaining);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("20", refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The refused attempt cost a request too (OpenAI's rule): the bucket is one request in debt.
        Assert.Equal("1m20s", Header(refused, "x-ratelimit-reset-requests"));

        clock.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChatAsync(http)).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChatAsync(http)).StatusCode); // retrying early kept it out
        clock.Advance(TimeSpan.FromSeconds(62));
        var again = await ChatAsync(http);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("0", Header(again, "x-ratelimit-remaining-requests"));
    }

    [Fact]
    public async Task TokensPerMinute_ReservesMaxTokensAndRefundsUnused()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        await using var host = await MoatTestHost.StartAsync(b => b.Time = clock);
        var customer = await host.CreateCustomerAsync(limits: new QuotaLimits(null, 1000, null));
        using var http = host.Http(customer.Secret);

        var first = await ChatAsync(http, maxTokens: 900);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var afterReservation = long.Parse(Header(first, "x-ratelimit-remaining-tokens"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(afterReservation < 100, $"900 completion tokens should be reserved, {afterReservation} remain");

        // The reply used far fewer than 900 tokens: the difference is refunded, so a second large request fits.
        var second = await ChatAsync(http, maxTokens: 700);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var refused = await ChatAsync(http, maxTokens: 900);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate_limit_exceeded", Errors.AssertShape(await refused.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task DailyTokens_ExhaustedIsInsufficientQuotaUntilMidnight()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 23, 0, 0, TimeSpan.Zero));
        await using var host = await MoatTestHost.StartAsync(b => b.Time = clock);
        var customer = await host.CreateCustomerAsync(limits: new QuotaLimits(null, null, 400));
        using var http = host.Http(customer.Secret);

        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(http, maxTokens: 300)).StatusCode);
        var refused = await ChatAsync(http, maxTokens: 350);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("insufficient_quota", Errors.AssertShape(await refused.Content.ReadAsStringAsync()));
        Assert.Equal(3600, refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds);

        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(http, maxTokens: 350)).StatusCode);
    }

    [Fact]
    public async Task SixtyFourRacingRequests_AgainstLimitOfTen_ExactlyTenAdmitted()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        await using var host = await MoatTestHost.StartAsync(b => b.Time = clock);
        var customer = await host.CreateCustomerAsync(limits: new QuotaLimits(10, null, null));
        using var http = host.Http(customer.Secret);
        using var start = new SemaphoreSlim(0);

        var racers = Enumerable.Range(0, 64).Select(async _ =>
        {
            await start.WaitAsync();
            return (await ChatAsync(http)).StatusCode;
        }).ToArray();
        start.Release(64);
        var statuses = await Task.WhenAll(racers);

        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(54, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task ThrottledOrganisation_GetsReducedLimit()
    {
        await using var host = await MoatTestHost.StartAsync();
        var customer = await host.CreateCustomerAsync(state: Moat.Core.Access.OrgState.Throttled, limits: new QuotaLimits(100, null, null));
        using var http = host.Http(customer.Secret);

        var response = await ChatAsync(http);

        Assert.Equal("10", Header(response, "x-ratelimit-limit-requests"));
    }
}
