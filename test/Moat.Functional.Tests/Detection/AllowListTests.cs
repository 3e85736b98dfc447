using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Moat.Core.Quotas;
using Moat.Detection;
using Moat.Functional.Tests.Admin;
using Moat.Functional.Tests.Infrastructure;
using Moat.Testing;

namespace Moat.Functional.Tests.Detection;

/// <summary>A reviewer's false-positive verdict allow-lists the organisation: audited, listed, removable, and automatic enforcement holds off.</summary>
public sealed class AllowListTests
{
    private const double CaseAt = 80;

    /// <summary>Above every automatic step (warn 50, case 70, throttle 85): each one's suppression is audited.</summary>
    private const double PastThrottle = 86;

    [Fact]
    public async Task ResolveFalsePositive_AllowListsOrg_AuditedOnTimelineListedAndShownOnRisk()
    {
        await using var host = await MoatTestHost.StartAsync();
        using var admin = new AdminApi(host);
        var customer = await host.CreateCustomerAsync(name: "Eval Harness Co");
        var caseId = await SuspendForCaseAsync(admin, customer.OrgId);

        var resolved = await admin.PostAsync($"/admin/v1/cases/{caseId}/resolve",
            new { resolution = "reinstated", reason = "their published eval harness", verdict = "false_positive", allow_list_days = 10 });

        resolved.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("reinstated", resolved.Json.GetProperty("resolution").GetString());
        Assert.Contains(resolved.Json.GetProperty("events").EnumerateArray(), e => e.GetProperty("text").GetString()!.StartsWith("allow-listed (false positive)", StringComparison.Ordinal));
        Assert.Equal("active", (await admin.GetAsync($"/admin/v1/organizations/{customer.OrgId}")).Json.GetProperty("state").GetString());
        var added = (await admin.GetAsync($"/admin/v1/audit?action=detection.allow_list.add&subject={customer.OrgId}")).Json.GetProperty("data");
        var payload = Assert.Single(added.EnumerateArray()).GetProperty("payload");
        Assert.Equal(caseId, payload.GetProperty("case_id").GetString());
        Assert.Equal(10, payload.GetProperty("days").GetInt32());
        var resolveAudit = (await admin.GetAsync($"/admin/v1/audit?action=case.resolve&subject={customer.OrgId}")).Json.GetProperty("data")[0];
        Assert.Equal("false_positive", resolveAudit.GetProperty("payload").GetProperty("verdict").GetString());

        var list = await admin.GetAsync("/admin/v1/allow-list");
        list.AssertStatus(HttpStatusCode.OK);
        var entry = Assert.Single(list.Json.GetProperty("data").EnumerateArray());
        Assert.Equal(customer.OrgId, entry.GetProperty("org_id").GetString());
        Assert.Equal(caseId, entry.GetProperty("case_id").GetString());
        Assert.Equal("their published eval harness", entry.GetProperty("reason").GetString());
        Assert.Equal(resolved.Json.GetProperty("resolved_by").GetString(), entry.GetProperty("created_by").GetString());
        Assert.True(entry.GetProperty("active").GetBoolean());
        var expiresAt = entry.GetProperty("expires_at").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromDays(10), expiresAt - entry.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, list.Json.GetProperty("next_cursor").ValueKind);
        Assert.Equal(expiresAt, (await admin.GetAsync($"/admin/v1/risk/{customer.OrgId}")).Json.GetProperty("allow_listed_until").GetDateTimeOffset());
    }

    [Fact]
    public async Task RemoveFromAllowList_NeedsReasonAuditedThenGone()
    {
        await using var host = await MoatTestHost.StartAsync();
        using var admin = new AdminApi(host);
        var customer = await host.CreateCustomerAsync();
        var caseId = await SuspendForCaseAsync(admin, customer.OrgId);
        (await admin.PostAsync($"/admin/v1/cases/{caseId}/resolve", new { resolution = "reinstated", reason = "fine", verdict = "false_positive" }))
            .AssertStatus(HttpStatusCode.OK);

        var withoutReason = await admin.SendRawAsync(HttpMethod.Delete, $"/admin/v1/allow-list/{customer.OrgId}", "{}");
        withoutReason.AssertStatus(HttpStatusCode.BadRequest);
        Assert.Equal("reason", JsonDocument.Parse(withoutReason.Body).RootElement.GetProperty("error").GetProperty("param").GetString());

        var removed = await admin.SendRawAsync(HttpMethod.Delete, $"/admin/v1/allow-list/{customer.OrgId}", """{"reason":"new evidence"}""");
        removed.AssertStatus(HttpStatusCode.OK);
        Assert.False(removed.Json.GetProperty("active").GetBoolean());
        Assert.Equal(TimeSpan.FromDays(30), removed.Json.GetProperty("expires_at").GetDateTimeOffset() - removed.Json.GetProperty("created_at").GetDateTimeOffset());
        var audit = (await admin.GetAsync($"/admin/v1/audit?action=detection.allow_list.remove&subject={customer.OrgId}")).Json.GetProperty("data");
        Assert.Equal("new evidence", Assert.Single(audit.EnumerateArray()).GetProperty("payload").GetProperty("reason").GetString());
        Assert.Empty((await admin.GetAsync("/admin/v1/allow-list")).Json.GetProperty("data").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, (await admin.GetAsync($"/admin/v1/risk/{customer.OrgId}")).Json.GetProperty("allow_listed_until").ValueKind);
        Assert.Contains((await admin.GetAsync($"/admin/v1/cases/{caseId}")).Json.GetProperty("events").EnumerateArray(),
            e => e.GetProperty("text").GetString()!.StartsWith("removed from the allow-list", StringComparison.Ordinal));

        var again = await admin.SendRawAsync(HttpMethod.Delete, $"/admin/v1/allow-list/{customer.OrgId}", """{"reason":"twice"}""");
        again.AssertStatus(HttpStatusCode.NotFound);
        Assert.Equal("not_found", Errors.AssertShape(again.Body));
    }

    [Theory]
    [InlineData("""{"resolution":"reinstated","reason":"r","verdict":"maybe"}""", "verdict")]
    [InlineData("""{"resolution":"terminated","reason":"r","verdict":"false_positive"}""", "verdict")]
    [InlineData("""{"resolution":"reinstated","reason":"r","verdict":"false_positive","allow_list_days":0}""", "allow_list_days")]
    [InlineData("""{"resolution":"reinstated","reason":"r","verdict":"false_positive","allow_list_days":366}""", "allow_list_days")]
    [InlineData("""{"resolution":"reinstated","reason":"r","verdict":"false_positive","allow_list_days":1.5}""", "allow_list_days")]
    [InlineData("""{"resolution":"reinstated","reason":"r","allow_list_days":30}""", "allow_list_days")]
    [InlineData("""{"resolution":"reinstated","reason":"r","verdict":"confirmed","allow_list_days":30}""", "allow_list_days")]
    public async Task ResolveWithVerdict_Invalid_400NamingTheFieldAndCaseStaysOpen(string body, string param)
    {
        await using var host = await MoatTestHost.StartAsync();
        using var admin = new AdminApi(host);
        var customer = await host.CreateCustomerAsync();
        var caseId = await SuspendForCaseAsync(admin, customer.OrgId);

        var answer = await admin.PostRawAsync($"/admin/v1/cases/{caseId}/resolve", body);

        answer.AssertStatus(HttpStatusCode.BadRequest);
        Assert.Equal("invalid_request_error", Errors.AssertShape(answer.Body));
        Assert.Equal(param, JsonDocument.Parse(answer.Body).RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal("open", (await admin.GetAsync($"/admin/v1/cases/{caseId}")).Json.GetProperty("status").GetString());
        Assert.Empty((await admin.GetAsync("/admin/v1/allow-list")).Json.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task ResolveConfirmed_NoAllowListEntry()
    {
        await using var host = await MoatTestHost.StartAsync();
        using var admin = new AdminApi(host);
        var customer = await host.CreateCustomerAsync();
        var caseId = await SuspendForCaseAsync(admin, customer.OrgId);

        (await admin.PostAsync($"/admin/v1/cases/{caseId}/resolve", new { resolution = "terminated", reason = "harvesting", verdict = "confirmed" }))
            .AssertStatus(HttpStatusCode.OK);

        Assert.Empty((await admin.GetAsync("/admin/v1/allow-list")).Json.GetProperty("data").EnumerateArray());
        var resolveAudit = (await admin.GetAsync($"/admin/v1/audit?action=case.resolve&subject={customer.OrgId}")).Json.GetProperty("data")[0];
        Assert.Equal("confirmed", resolveAudit.GetProperty("payload").GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task AllowListedOrg_Harvests_ScoredButNoActionOneSuppressionEntryPerStepUntilExpiry()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        await using var host = await MoatTestHost.StartAsync(b => b.Time = clock);
        using var admin = new AdminApi(host);
        var harvester = await host.CreateCustomerAsync(limits: new QuotaLimits(1_000_000, null, null), name: "Harvest Labs");
        var caseId = await SuspendForCaseAsync(admin, harvester.OrgId);
        (await admin.PostAsync($"/admin/v1/cases/{caseId}/resolve", new { resolution = "reinstated", reason = "looked like an eval run", verdict = "false_positive", allow_list_days = 1 }))
            .AssertStatus(HttpStatusCode.OK);
        using var traffic = new TenantTraffic(host, harvester, seed: 21);

        var score = await HarvestUntilAsync(host, admin, traffic, harvester.OrgId, PastThrottle);

        Assert.True(score >= PastThrottle, $"score {score}");
        Assert.Equal("active", (await admin.GetAsync($"/admin/v1/organizations/{harvester.OrgId}")).Json.GetProperty("state").GetString());
        var actions = await ActionsAsync(admin, harvester.OrgId);
        Assert.DoesNotContain("org.warn", actions);
        Assert.DoesNotContain("org.throttle", actions);
        Assert.Single(actions, "case.open"); // the one opened by the suspension before the verdict
        var suppressed = (await admin.GetAsync($"/admin/v1/audit?action=detection.allow_list.suppressed&subject={harvester.OrgId}")).Json.GetProperty("data")
            .EnumerateArray().ToList();
        Assert.NotEmpty(suppressed);
        Assert.All(suppressed, e => Assert.Equal("moat-detection", e.GetProperty("actor").GetString()));
        var steps = suppressed.SelectMany(e => e.GetProperty("payload").GetProperty("steps").EnumerateArray().Select(s => s.GetString())).ToList();
        Assert.Equal(["open_case", "throttle", "warn"], steps.Order(StringComparer.Ordinal));
        var leaderboard = (await admin.GetAsync("/admin/v1/risk")).Json.GetProperty("data")[0];
        Assert.Equal(harvester.OrgId, leaderboard.GetProperty("org_id").GetString());
        Assert.Equal(JsonValueKind.String, leaderboard.GetProperty("allow_listed_until").ValueKind);

        // Expiry on the host's clock: the periodic resume acts on the still-high score without waiting for it to move.
        clock.Advance(TimeSpan.FromDays(1));
        var resumed = false;
        for (var attempt = 0; attempt < 100 && !resumed; attempt++)
        {
            await Task.Delay(100);
            resumed = (await ActionsAsync(admin, harvester.OrgId)).Contains("org.warn");
        }

        Assert.True(resumed, "no enforcement after the allow-list entry expired");
        Assert.Equal(JsonValueKind.Null, (await admin.GetAsync($"/admin/v1/risk/{harvester.OrgId}")).Json.GetProperty("allow_listed_until").ValueKind);
    }

    /// <summary>A manual suspension opens a case; returns its id.</summary>
    private static async Task<string> SuspendForCaseAsync(AdminApi admin, string orgId)
    {
        var suspended = await admin.PostAsync($"/admin/v1/organizations/{orgId}/suspend", new { reason = "unusual volume" });
        suspended.AssertStatus(HttpStatusCode.OK);
        return suspended.Json.GetProperty("open_case_id").GetString()!;
    }

    private static async Task<List<string>> ActionsAsync(AdminApi admin, string orgId) =>
        (await admin.GetAsync($"/admin/v1/audit?subject={orgId}&limit=500")).Json.GetProperty("data").EnumerateArray()
            .Select(e => e.GetProperty("action").GetString()!).Reverse().ToList();

    private static async Task<double> HarvestUntilAsync(MoatTestHost host, AdminApi admin, TenantTraffic traffic, string orgId, double target, int maxRequests = 600)
    {
        var score = 0.0;
        for (var sent = 1; sent <= maxRequests && score < target; sent++)
        {
            (await traffic.SendWordProblemAsync()).Dispose();
            if (sent % 10 == 0)
            {
                await host.Services.GetRequiredService<DetectionEngine>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
                score = (await admin.GetAsync($"/admin/v1/risk/{orgId}")).Json.GetProperty("score").GetDouble();
            }
        }
        return score;
    }
}
