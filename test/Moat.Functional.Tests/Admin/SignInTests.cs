using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Moat.Admin.SignIn;
using Moat.Storage;
using Moat.Testing;
using Xunit.Abstractions;

namespace Moat.Functional.Tests.Admin;

/// <summary>
/// Failed admin sign-ins (admin API bearer, console form): per-address back-off with a growing Retry-After, one audit
/// summary per address per window, and no slowdown of enforcement under a flood of bad tokens.
/// </summary>
public sealed partial class SignInTests(ITestOutputHelper output)
{
    private const string Attacker = "203.0.113.7";
    private const string Staff = "198.51.100.20";

    // Addresses come from X-Forwarded-For (a trusted proxy in front), so one test client can be many clients.
    private static Task<MoatTestHost> StartAsync(FakeTimeProvider clock, int maxTrackedClients = 100_000) => MoatTestHost.StartAsync(b =>
    {
        b.Time = clock;
        b.Set("Moat:Admin:SignIn:MaxTrackedClients", maxTrackedClients);
        b.Set("Moat:Gateway:TrustForwardedFor", "true")
            .Set("Moat:Admin:SignIn:MaxFailures", 5)
            .Set("Moat:Admin:SignIn:WindowSeconds", 60)
            .Set("Moat:Admin:SignIn:BackoffSeconds", 30)
            .Set("Moat:Admin:SignIn:MaxBackoffSeconds", 100);
    });

    private static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    private static HttpClient Client(MoatTestHost host, string address, string? token)
    {
        var http = host.Http(token);
        http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return http;
    }

    private static async Task<HttpResponseMessage> ListOrgsAsync(HttpClient http) => await http.GetAsync("/admin/v1/organizations");

    private static long RetryAfterSeconds(HttpResponseMessage response) =>
        (long)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;

    [Fact]
    public async Task AdminRoute_FiveBadTokens_NextRequestIs429EvenWithTheRightToken()
    {
        var clock = NewClock();
        await using var host = await StartAsync(clock);
        using var attacker = Client(host, Attacker, "moat-admin-guess-0000000000000000000000");
        using var sameAddressRightToken = Client(host, Attacker, MoatTestHost.AdminToken);

        for (var i = 0; i < 5; i++)
        {
            using var refused = await ListOrgsAsync(attacker);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        using var throttled = await ListOrgsAsync(sameAddressRightToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("rate_limit_exceeded", (await throttled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(30, RetryAfterSeconds(throttled));
    }

    [Fact]
    public async Task AdminRoute_LockedOutAgainAfterBackoff_RetryAfterDoublesUpToTheCap()
    {
        var clock = NewClock();
        await using var host = await StartAsync(clock);
        using var attacker = Client(host, Attacker, "moat-admin-guess-0000000000000000000000");

        var waits = new List<long>();
        for (var round = 0; round < 4; round++)
        {
            for (var i = 0; i < 5; i++)
            {
                using var refused = await ListOrgsAsync(attacker);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }
            using var throttled = await ListOrgsAsync(attacker);
            Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
            var wait = RetryAfterSeconds(throttled);
            waits.Add(wait);
            clock.Advance(TimeSpan.FromSeconds(wait + 1));
        }

        Assert.Equal([30L, 60L, 100L, 100L], waits);
        using var rightToken = Client(host, Attacker, MoatTestHost.AdminToken);
        using var afterwards = await ListOrgsAsync(rightToken);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
    }

    [Fact]
    public async Task AdminRoute_OneAddressLockedOut_OthersServedAndTheirSuccessDoesNotUnlockIt()
    {
        var clock = NewClock();
        await using var host = await StartAsync(clock);
        using var attacker = Client(host, Attacker, "moat-admin-guess-0000000000000000000000");
        using var staff = Client(host, Staff, MoatTestHost.AdminToken);
        for (var i = 0; i < 5; i++)
        {
            (await ListOrgsAsync(attacker)).Dispose();
        }

        using var served = await ListOrgsAsync(staff);
        using var stillLocked = await ListOrgsAsync(attacker);

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillLocked.StatusCode);
    }

    [Fact]
    public async Task ConsoleSignIn_FailuresShareTheAdminApiBackoff_429WithRetryAfter()
    {
        var clock = NewClock();
        await using var host = await StartAsync(clock);
        using var attacker = Client(host, Attacker, "moat-admin-guess-0000000000000000000000");
        for (var i = 0; i < 3; i++)
        {
            (await ListOrgsAsync(attacker)).Dispose();
        }

        using var console = new ConsoleSignIn(host, Attacker);
        var first = await console.SignInAsync("wrong-console-token-0000000000000000");
        var second = await console.SignInAsync("wrong-console-token-0000000000000000");
        var third = await console.SignInAsync(MoatTestHost.AdminToken);

        Assert.Equal(HttpStatusCode.Redirect, first.Status);
        Assert.Contains("error=1", first.Location, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, second.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
        Assert.Equal(30, third.RetryAfterSeconds);
        await host.Services.GetRequiredService<FailedSignInAuditor>().FlushAsync();
        var summary = Assert.Single(await FailedSignInEntriesAsync(host));
        Assert.Equal(3, summary.GetProperty("admin_api").GetInt32());
        Assert.Equal(2, summary.GetProperty("console").GetInt32());
        Assert.Equal(1, summary.GetProperty("throttled").GetInt32());
    }

    [Fact]
    public async Task AdminRoute_FloodOfBadTokens_OneAuditSummaryPerAddressAndEnforcementStaysFast()
    {
        var clock = NewClock();
        await using var host = await StartAsync(clock);
        using var staff = Client(host, Staff, MoatTestHost.AdminToken);
        var orgId = (await host.CreateCustomerAsync()).OrgId;
        var auditor = host.Services.GetRequiredService<FailedSignInAuditor>();
        var before = (await host.Services.GetRequiredService<AuditLog>().VerifyAsync()).Entries;
        var quiet = await TimeEnforcementAsync(staff, orgId, 20, CancellationToken.None);

        string[] addresses = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"];
        const int Flood = 1000;
        var clients = addresses.Select(a => Client(host, a, "moat-admin-guess-0000000000000000000000")).ToArray();
        var statuses = new int[600];
        var flood = Enumerable.Range(0, Flood).Select(async i =>
        {
            using var response = await ListOrgsAsync(clients[i % clients.Length]);
            Interlocked.Increment(ref statuses[(int)response.StatusCode]);
        }).ToArray();
        var underFlood = await TimeEnforcementAsync(staff, orgId, 20, CancellationToken.None);
        await Task.WhenAll(flood);
        foreach (var client in clients)
        {
            client.Dispose();
        }
        await auditor.FlushAsync();

        output.WriteLine($"enforcement p50/p95/max ms: quiet {Percentile(quiet, 50)}/{Percentile(quiet, 95)}/{quiet.Max()}, " +
            $"under a {Flood}-request flood {Percentile(underFlood, 50)}/{Percentile(underFlood, 95)}/{underFlood.Max()}; flood answers 401: {statuses[401]}, 429: {statuses[429]}");
        Assert.Equal(Flood, statuses[401] + statuses[429]);
        // Tokens are verified only until each address is locked out (a concurrent burst may overshoot the limit a little).
        Assert.InRange(statuses[401], addresses.Length * 5, Flood / 4);
        var entries = await FailedSignInEntriesAsync(host);
        Assert.Equal(addresses.Length, entries.Count); // one window, so one summary per address
        Assert.Equal(statuses[401], entries.Sum(e => e.GetProperty("failures").GetInt32()));
        Assert.Equal(statuses[429], entries.Sum(e => e.GetProperty("throttled").GetInt32()));
        var verification = await host.Services.GetRequiredService<AuditLog>().VerifyAsync();
        Assert.True(verification.Valid);
        // 2 × 40 enforcement actions (quiet, then under the flood), one entry each, plus one summary per flooding address.
        Assert.Equal(before + 80 + addresses.Length, verification.Entries);
        Assert.True(Percentile(underFlood, 95) < 1000, $"p95 {Percentile(underFlood, 95)} ms under the flood");
    }

    [Fact]
    public async Task AdminRoute_TrackingTableFull_NewAddressesCountedTogetherButNotLockedOut()
    {
        var clock = NewClock();
        await using var host = await StartAsync(clock, maxTrackedClients: 1);
        using var first = Client(host, Attacker, "moat-admin-guess-0000000000000000000000");
        using var second = Client(host, Staff, "moat-admin-guess-0000000000000000000000");
        using var secondRightToken = Client(host, Staff, MoatTestHost.AdminToken);
        for (var i = 0; i < 5; i++)
        {
            (await ListOrgsAsync(first)).Dispose();
            (await ListOrgsAsync(second)).Dispose();
        }

        using var firstLocked = await ListOrgsAsync(first);
        using var secondServed = await ListOrgsAsync(secondRightToken);
        await host.Services.GetRequiredService<FailedSignInAuditor>().FlushAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, firstLocked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondServed.StatusCode);
        var entries = await FailedSignInEntriesAsync(host);
        Assert.Equal([Attacker, SignInThrottle.OverflowClient], entries.Select(e => e.GetProperty("client_ip").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FailedSignIns_TwoWindows_TwoSummariesForTheAddress()
    {
        var clock = NewClock();
        await using var host = await StartAsync(clock);
        var auditor = host.Services.GetRequiredService<FailedSignInAuditor>();
        using var attacker = Client(host, Attacker, "moat-admin-guess-0000000000000000000000");

        (await ListOrgsAsync(attacker)).Dispose();
        (await ListOrgsAsync(attacker)).Dispose();
        await auditor.FlushAsync();
        clock.Advance(TimeSpan.FromSeconds(61));
        (await ListOrgsAsync(attacker)).Dispose();
        await auditor.FlushAsync();

        var entries = await FailedSignInEntriesAsync(host);
        Assert.Equal([2, 1], entries.Select(e => e.GetProperty("failures").GetInt32()));
        Assert.All(entries, e => Assert.Equal(Attacker, e.GetProperty("client_ip").GetString()));
        Assert.DoesNotContain(entries, e => e.GetRawText().Contains("moat-admin-guess", StringComparison.Ordinal));
    }

    // Each round is a warn then a reinstate; answers the latency of every call in milliseconds.
    private static async Task<List<long>> TimeEnforcementAsync(HttpClient staff, string orgId, int rounds, CancellationToken cancellationToken)
    {
        var latencies = new List<long>();
        for (var i = 0; i < rounds; i++)
        {
            foreach (var action in new[] { "warn", "reinstate" })
            {
                var watch = Stopwatch.StartNew();
                using var response = await staff.PostAsJsonAsync($"/admin/v1/organizations/{orgId}/{action}", new { reason = "latency probe" }, cancellationToken);
                latencies.Add(watch.ElapsedMilliseconds);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        return latencies;
    }

    private static long Percentile(List<long> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static async Task<List<JsonElement>> FailedSignInEntriesAsync(MoatTestHost host)
    {
        var page = await host.Services.GetRequiredService<AuditLog>().ListAsync(null, AuditLog.MaxPageSize, new AuditQuery(Action: "admin.login_failed"));
        return page.Data.OrderBy(e => e.Seq).Select(e => JsonDocument.Parse(e.PayloadJson).RootElement.Clone()).ToList();
    }

    /// <summary>The console's sign-in form over HTTP: fetches the page (antiforgery cookie and token), then posts.</summary>
    private sealed partial class ConsoleSignIn(MoatTestHost host, string address) : IDisposable
    {
        private readonly HttpClient _http = CreateClient(host, address);

        public async Task<(HttpStatusCode Status, string Location, long? RetryAfterSeconds)> SignInAsync(string token)
        {
            var page = await _http.GetStringAsync("/console/signin");
            var antiforgery = AntiforgeryField().Match(page);
            Assert.True(antiforgery.Success, "the sign-in page has no antiforgery token");
            using var response = await _http.PostAsync("/console/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["token"] = token,
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(antiforgery.Groups[1].Value),
            }));
            return (response.StatusCode, response.Headers.Location?.ToString() ?? "", (long?)response.Headers.RetryAfter?.Delta?.TotalSeconds);
        }

        public void Dispose() => _http.Dispose();

        private static HttpClient CreateClient(MoatTestHost host, string address)
        {
            var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = host.BaseUri };
            http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
            return http;
        }

        [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
        private static partial Regex AntiforgeryField();
    }
}
