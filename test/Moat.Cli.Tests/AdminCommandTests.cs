using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Moat.Cli.Tests.Infrastructure;

namespace Moat.Cli.Tests;

/// <summary>`moat apply` and `moat admin …` against a real server: what an operator sees, and the exit codes scripts rely on.</summary>
public sealed class AdminCommandTests(CliHostFixture fixture) : IClassFixture<CliHostFixture>
{
    private CliTestHost Host => fixture.Host;

    [Fact]
    public async Task Lifecycle_ApplyApproveKeySuspend_EveryStepShowsInTheCli()
    {
        var applied = await Host.PortalAsync(
            "apply", "--org", "Lighthouse Labs", "--email", "ops@lighthouse.test", "--use-case", "chatbot",
            "--intended-use", "Answering support tickets about our lamps.", "--monthly-tokens", "5000000", "--accept-terms");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        var applicationId = Regex.Match(applied.Out, @"^application (\S+): pending", RegexOptions.Multiline).Groups[1].Value;
        Assert.NotEmpty(applicationId);

        var status = await Host.PortalAsync("apply", "status", applicationId);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("pending", status.Out);

        var queue = await Host.AdminAsync("applications", "list", "--status", "pending");
        Assert.True(queue.ExitCode == 0, queue.ToString());
        Assert.Contains(applicationId, queue.Out);
        Assert.Contains("Lighthouse Labs", queue.Out);

        var approved = await Host.AdminAsync("applications", "approve", applicationId, "--tier", "standard", "--reason", "looks legitimate");
        Assert.True(approved.ExitCode == 0, approved.ToString());
        var orgId = (await Host.AdminAsync("applications", "show", applicationId, "--json")).Json().GetProperty("org_id").GetString()!;
        Assert.Contains(orgId, approved.Out);

        var created = await Host.AdminAsync("keys", "create", orgId, "--name", "support-bot");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("shown once", created.Out);
        var secret = created.Out.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("moat-sk-", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(secret));

        var suspended = await Host.AdminAsync("orgs", "suspend", orgId, "--reason", "scraping completions");
        Assert.True(suspended.ExitCode == 0, suspended.ToString());
        Assert.NotEqual(HttpStatusCode.OK, await ChatAsync(secret));

        var shown = await Host.AdminAsync("orgs", "show", orgId);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains("suspended", shown.Out);
        Assert.Contains("support-bot", shown.Out);
        Assert.DoesNotContain(secret, shown.Out);

        var cases = await Host.AdminAsync("cases", "list", "--org", orgId);
        Assert.True(cases.ExitCode == 0, cases.ToString());
        Assert.Contains(orgId, cases.Out);
        Assert.Contains("open", cases.Out);

        var verified = await Host.AdminAsync("audit", "verify");
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Matches(@"^audit chain valid: \d+ entries", verified.Out);
    }

    [Fact]
    public async Task CasesResolve_Reinstated_ReopensAccessAndShowsTheTimeline()
    {
        var orgId = await Host.ApprovedOrganizationAsync("Harbour");
        Assert.Equal(0, (await Host.AdminAsync("orgs", "suspend", orgId, "--reason", "unusual volume")).ExitCode);
        var caseId = (await Host.AdminAsync("cases", "list", "--org", orgId, "--json")).Json().GetProperty("data")[0].GetProperty("id").GetString()!;
        Assert.Equal(0, (await Host.AdminAsync("cases", "note", caseId, "--text", "customer explained a batch job")).ExitCode);

        var resolved = await Host.AdminAsync("cases", "resolve", caseId, "--resolution", "reinstated", "--reason", "explained", "--required-changes", "spread batch jobs");

        Assert.True(resolved.ExitCode == 0, resolved.ToString());
        Assert.Contains("customer explained a batch job", resolved.Out);
        Assert.Contains("reinstated", resolved.Out);
        var org = (await Host.AdminAsync("orgs", "show", orgId, "--json")).Json();
        Assert.Equal("active", org.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Json_EveryReadCommand_PrintsTheServersJsonVerbatim()
    {
        var orgId = await Host.ApprovedOrganizationAsync("Verbatim");
        Assert.Equal(0, (await Host.AdminAsync("keys", "create", orgId, "--name", "ci")).ExitCode);

        var org = await Host.AdminAsync("orgs", "show", orgId, "--json");
        using var http = Host.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CliTestHost.AdminToken);
        var direct = await http.GetStringAsync($"/admin/v1/organizations/{orgId}");

        Assert.True(org.ExitCode == 0, org.ToString());
        Assert.Equal(orgId, org.Json().GetProperty("id").GetString());
        Assert.Equal("ci", org.Json().GetProperty("keys")[0].GetProperty("name").GetString());
        Assert.Equal(Normalise(direct, "usage"), Normalise(org.Out, "usage"));
        foreach (var args in new[] { new[] { "orgs", "list" }, ["applications", "list"], ["keys", "list", orgId], ["cases", "list"], ["audit", "list", "--limit", "5"], ["usage", "--org", orgId] })
        {
            var run = await Host.AdminAsync([.. args, "--json"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal(JsonValueKind.Array, run.Json().GetProperty("data").ValueKind);
        }
    }

    [Fact]
    public async Task OrgsSuspend_WithoutReason_ExitsOneWithTheServersInvalidRequestError()
    {
        var orgId = await Host.ApprovedOrganizationAsync("Reasonless");

        var run = await Host.AdminAsync("orgs", "suspend", orgId);

        Assert.True(run.ExitCode == 1, run.ToString());
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: invalid_request_error: ", line);
        Assert.Contains("reason", line);
        Assert.Equal("active", (await Host.AdminAsync("orgs", "show", orgId, "--json")).Json().GetProperty("state").GetString());
    }

    [Fact]
    public async Task OrgsReinstate_AfterTerminate_ExitsOneWithIllegalTransition()
    {
        var orgId = await Host.ApprovedOrganizationAsync("Finished");
        Assert.Equal(0, (await Host.AdminAsync("orgs", "terminate", orgId, "--reason", "fraud")).ExitCode);

        var run = await Host.AdminAsync("orgs", "reinstate", orgId, "--reason", "changed our mind");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("error: illegal_transition: ", run.Error);
    }

    [Fact]
    public async Task Admin_WrongToken_ExitsOneWithoutPrintingTheToken()
    {
        const string wrong = "not-the-admin-token-42";

        var run = await CliRun.InvokeAsync("admin", "orgs", "list", "--url", Host.Url, "--token", wrong);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("error: invalid_admin_token: ", run.Error);
        Assert.DoesNotContain(wrong, run.Out + run.Error);
    }

    [Fact]
    public async Task Admin_UnknownOrganization_ExitsOneWithNotFound()
    {
        var run = await Host.AdminAsync("orgs", "show", "org_does_not_exist");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("error: not_found: ", run.Error);
    }

    [Fact]
    public async Task KeysRotate_PrintsTheNewSecretOnceAndTheOldKeyStopsWorking()
    {
        var orgId = await Host.ApprovedOrganizationAsync("Rotating");
        var first = (await Host.AdminAsync("keys", "create", orgId, "--name", "app", "--json")).Json();

        var rotated = await Host.AdminAsync("keys", "rotate", orgId, first.GetProperty("id").GetString()!, "--reason", "laptop stolen", "--grace-seconds", "0");

        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        Assert.Contains("shown once", rotated.Out);
        var secret = rotated.Out.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("moat-sk-", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(secret));
        Assert.Equal(HttpStatusCode.Unauthorized, await ChatAsync(first.GetProperty("key").GetString()!));
    }

    [Fact]
    public async Task OrgsSetLimits_PrintsTheLimitsNowInForce()
    {
        var orgId = await Host.ApprovedOrganizationAsync("Limited");

        var run = await Host.AdminAsync("orgs", "set-limits", orgId, "--rpm", "7", "--reason", "trial");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("7 req/min", run.Out);
    }

    [Fact]
    public async Task OrgsSetLimits_Unlimited_ShownAsUnlimited()
    {
        var orgId = await Host.ApprovedOrganizationAsync("Unbounded");

        var run = await Host.AdminAsync("orgs", "set-limits", orgId, "--tpd", "unlimited", "--reason", "load test");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("unlimited tok/day", run.Out);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("lots")]
    public async Task OrgsSetLimits_NotPositive_UsageErrorBeforeAnyRequest(string value)
    {
        var orgId = await Host.ApprovedOrganizationAsync("Typo");

        var run = await Host.AdminAsync("orgs", "set-limits", orgId, "--rpm", value, "--reason", "typo");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--rpm must be a positive integer, 'unlimited' or 'tier'", run.Error);
    }

    private async Task<HttpStatusCode> ChatAsync(string secret)
    {
        using var http = Host.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{CliTestHost.Model}}","messages":[{"role":"user","content":"Hello"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>The JSON without a field whose value moves between two reads (e.g. 24-hour usage).</summary>
    private static string Normalise(string json, string volatileField)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove(volatileField);
        return node.ToJsonString();
    }
}
