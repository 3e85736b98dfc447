using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moat.Detection;
using Moat.Functional.Tests.Admin;
using Moat.Functional.Tests.Infrastructure;
using Moat.Testing;

namespace Moat.Functional.Tests.Detection;

/// <summary>Detection end to end through the real host: requests → scores → automatic case → admin action → refusal.</summary>
public sealed class DetectionTests
{
    private const double CaseAt = 70;
    private const double WarnAt = 50;

    [Fact]
    public async Task BenchmarkHarvester_CrossesCaseThreshold_ListedWithEvidenceCaseOpenedAndSuspensionBlocks()
    {
        await using var host = await MoatTestHost.StartAsync();
        using var admin = new AdminApi(host);
        var harvester = await host.CreateCustomerAsync(name: "Harvest Labs");
        var person = await host.CreateCustomerAsync(name: "Jo's Bakery");
        using var harvesting = new TenantTraffic(host, harvester, seed: 1);
        using var asking = new TenantTraffic(host, person, seed: 2);
        for (var i = 0; i < 20; i++)
        {
            (await asking.SendHumanQuestionAsync()).Dispose();
        }

        var sent = 0;
        double score = 0;
        while (score < CaseAt && sent < 500)
        {
            using var response = await harvesting.SendWordProblemAsync();
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"unexpected {response.StatusCode}");
            sent++;
            if (sent % 10 == 0)
            {
                score = await ScoreAsync(host, admin, harvester.OrgId);
            }
        }
        Assert.True(score >= CaseAt, $"score {score} after {sent} requests");

        var leaderboard = await admin.GetAsync("/admin/v1/risk");
        leaderboard.AssertStatus(HttpStatusCode.OK);
        var first = leaderboard.Json.GetProperty("data")[0];
        Assert.Equal(harvester.OrgId, first.GetProperty("org_id").GetString());
        Assert.Equal("Harvest Labs", first.GetProperty("name").GetString());
        var top = first.GetProperty("top_signals").EnumerateArray().ToList();
        Assert.NotEmpty(top);
        Assert.Contains(top, s => s.GetProperty("name").GetString() is "benchmark_match" or "reasoning_elicitation");
        Assert.All(top, s => Assert.False(string.IsNullOrWhiteSpace(s.GetProperty("evidence").GetString())));
        var caseId = first.GetProperty("open_case_id").GetString();
        Assert.False(string.IsNullOrEmpty(caseId));

        var investigation = await admin.GetAsync($"/admin/v1/cases/{caseId}");
        investigation.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("open", investigation.Json.GetProperty("status").GetString());
        Assert.Equal("moat-detection", investigation.Json.GetProperty("opened_by").GetString());
        var evidence = investigation.Json.GetProperty("events").EnumerateArray().First(e => e.GetProperty("kind").GetString() == "evidence");
        var payload = evidence.GetProperty("payload");
        Assert.True(payload.GetProperty("score").GetDouble() >= CaseAt);
        Assert.NotEmpty(payload.GetProperty("top_signals").EnumerateArray());

        var audit = await admin.GetAsync($"/admin/v1/audit?action=case.open&subject={harvester.OrgId}");
        Assert.Contains(audit.Json.GetProperty("data").EnumerateArray(), e => e.GetProperty("actor").GetString() == "moat-detection");

        var organization = await admin.GetAsync($"/admin/v1/organizations/{harvester.OrgId}");
        Assert.True(organization.Json.GetProperty("risk").GetProperty("score").GetDouble() >= CaseAt);

        (await admin.PostAsync($"/admin/v1/organizations/{harvester.OrgId}/suspend", new { reason = "confirmed GSM8K harvesting" })).AssertStatus(HttpStatusCode.OK);
        using var refused = await harvesting.SendWordProblemAsync();
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("account_suspended", Errors.AssertShape(await refused.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task BenignTenant_VariedHumanQuestions_StaysBelowWarn()
    {
        await using var host = await MoatTestHost.StartAsync();
        using var admin = new AdminApi(host);
        var person = await host.CreateCustomerAsync(name: "Jo's Bakery");
        using var asking = new TenantTraffic(host, person, seed: 3);
        for (var i = 0; i < 150; i++)
        {
            using var response = await asking.SendHumanQuestionAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await host.Services.GetRequiredService<DetectionEngine>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var risk = await admin.GetAsync($"/admin/v1/risk/{person.OrgId}");
        risk.AssertStatus(HttpStatusCode.OK);
        Assert.True(risk.Json.GetProperty("peak_score").GetDouble() < WarnAt, risk.Body);
        Assert.Equal("low", risk.Json.GetProperty("level").GetString());
        Assert.Equal(150, risk.Json.GetProperty("requests").GetInt64());
        Assert.Equal("active", risk.Json.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, risk.Json.GetProperty("open_case_id").ValueKind);
    }

    [Fact]
    public async Task RiskOfOrg_NoTrafficOrUnknown_ZeroOrNotFound()
    {
        await using var host = await MoatTestHost.StartAsync();
        using var admin = new AdminApi(host);
        var quiet = await host.CreateCustomerAsync();

        var risk = await admin.GetAsync($"/admin/v1/risk/{quiet.OrgId}");
        risk.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(0, risk.Json.GetProperty("score").GetDouble());
        Assert.Equal("low", risk.Json.GetProperty("level").GetString());
        Assert.Empty(risk.Json.GetProperty("signals").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, (await admin.GetAsync($"/admin/v1/organizations/{quiet.OrgId}")).Json.GetProperty("risk").ValueKind);
        Assert.Empty((await admin.GetAsync("/admin/v1/risk")).Json.GetProperty("data").EnumerateArray());

        var missing = await admin.GetAsync("/admin/v1/risk/org_nope");
        missing.AssertStatus(HttpStatusCode.NotFound);
        Assert.Equal("not_found", Errors.AssertShape(missing.Body));
        (await admin.GetAsync("/admin/v1/risk?min_score=200")).AssertStatus(HttpStatusCode.BadRequest);
        using var anonymous = new AdminApi(host, token: null);
        (await anonymous.GetAsync("/admin/v1/risk")).AssertStatus(HttpStatusCode.Unauthorized);
    }

    /// <summary>The org's score once detection has processed every request sent so far (features are posted as a request settles).</summary>
    private static async Task<double> ScoreAsync(MoatTestHost host, AdminApi admin, string orgId)
    {
        await host.Services.GetRequiredService<DetectionEngine>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var risk = await admin.GetAsync($"/admin/v1/risk/{orgId}");
        risk.AssertStatus(HttpStatusCode.OK);
        return risk.Json.GetProperty("score").GetDouble();
    }
}
