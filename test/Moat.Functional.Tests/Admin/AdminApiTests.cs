using System.ClientModel;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Moat.Functional.Tests.Infrastructure;
using Moat.Testing;
using Moat.Storage;
using OpenAI.Chat;

namespace Moat.Functional.Tests.Admin;

/// <summary>One host shared by the admin API tests that do not need a clock or a pristine audit log.</summary>
public sealed class AdminHostFixture : IAsyncLifetime
{
    public MoatTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await MoatTestHost.StartAsync(b => AdminApi.Generous(b));

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Admin and portal API behaviour a staff member, an applicant or an attacker would notice.</summary>
public sealed class AdminApiTests(AdminHostFixture fixture) : IClassFixture<AdminHostFixture>
{
    private MoatTestHost Host => fixture.Host;

    [Theory]
    [InlineData("warn", "reinstate")] // warned → reinstate is legal, so first warn, then reinstate twice
    public async Task Enforce_IllegalTransition_Is409IllegalTransition(string first, string then)
    {
        using var api = new AdminApi(Host);
        var orgId = await api.OnboardAsync();
        (await api.PostAsync($"/admin/v1/organizations/{orgId}/{first}", new { reason = "first" })).AssertStatus(HttpStatusCode.OK);
        (await api.PostAsync($"/admin/v1/organizations/{orgId}/{then}", new { reason = "second" })).AssertStatus(HttpStatusCode.OK);
        (await api.PostAsync($"/admin/v1/organizations/{orgId}/{then}", new { reason = "again" })).AssertError(HttpStatusCode.Conflict, "illegal_transition");
        (await api.PostAsync($"/admin/v1/organizations/{orgId}/reinstate", new { reason = "active already" })).AssertError(HttpStatusCode.Conflict, "illegal_transition");
    }

    [Theory]
    [InlineData("warn")]
    [InlineData("throttle")]
    [InlineData("suspend")]
    [InlineData("terminate")]
    public async Task Enforce_WithoutReason_Is400NamingReasonAndStateUnchanged(string action)
    {
        using var api = new AdminApi(Host);
        var orgId = await api.OnboardAsync();
        Assert.Equal("reason", (await api.PostAsync($"/admin/v1/organizations/{orgId}/{action}", new { reason = " " }))
            .AssertError(HttpStatusCode.BadRequest, "invalid_request_error"));
        var org = (await api.GetAsync($"/admin/v1/organizations/{orgId}")).Json;
        Assert.Equal("active", org.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Enforce_UnknownOrganization_Is404NotFound()
    {
        using var api = new AdminApi(Host);
        (await api.PostAsync("/admin/v1/organizations/org_nope/suspend", new { reason = "x" })).AssertError(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Submit_WrongTermsVersion_Is400NamingCurrentVersion()
    {
        using var api = new AdminApi(Host);
        var answer = await api.PostAsync("/portal/v1/applications", new ApplicationBuilder().With("terms_version", "2020-01").Build());
        Assert.Equal("terms_version", answer.AssertError(HttpStatusCode.BadRequest, "invalid_request_error"));
        Assert.Contains("2026-01", answer.Json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("organization_name", "A")]
    [InlineData("contact_email", "not-an-email")]
    [InlineData("intended_use", "too short")]
    [InlineData("use_case_category", "distillation")]
    [InlineData("expected_monthly_tokens", 0)]
    [InlineData("expected_monthly_tokens", "lots")]
    [InlineData("organization_name", null)]
    public async Task Submit_InvalidField_Is400NamingTheField(string field, object? value)
    {
        using var api = new AdminApi(Host);
        var answer = await api.PostAsync("/portal/v1/applications", new ApplicationBuilder().With(field, value).Build());
        Assert.Equal(field, answer.AssertError(HttpStatusCode.BadRequest, "invalid_request_error"));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("{\"organization_name\": {\"nested\": true}}")]
    public async Task Submit_MalformedBody_Is400InOpenAiShape(string body)
    {
        using var api = new AdminApi(Host);
        (await api.PostRawAsync("/portal/v1/applications", body)).AssertError(HttpStatusCode.BadRequest, "invalid_request_error");
    }

    [Fact]
    public async Task Terms_Get_ReturnsVersionAndTextForbiddingCompetingModels()
    {
        using var api = new AdminApi(Host, token: null);
        var terms = (await api.GetAsync("/portal/v1/terms")).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal("2026-01", terms.GetProperty("version").GetString());
        Assert.Contains("compet", terms.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_RejectedApplication_Is409AndCreatesNoOrganization()
    {
        using var api = new AdminApi(Host);
        var id = await api.ApplyAsync(new ApplicationBuilder().With("organization_name", "Rejected Corp " + Guid.NewGuid()));
        (await api.PostAsync($"/admin/v1/applications/{id}/reject", new { })).AssertError(HttpStatusCode.BadRequest, "invalid_request_error");
        var rejected = (await api.PostAsync($"/admin/v1/applications/{id}/reject", new { reason = "use case is evaluation harvesting" })).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal("rejected", rejected.GetProperty("status").GetString());

        (await api.PostAsync($"/admin/v1/applications/{id}/approve", new { tier = "standard" })).AssertError(HttpStatusCode.Conflict, "conflict");
        var application = (await api.GetAsync($"/admin/v1/applications/{id}")).Json;
        Assert.Equal(System.Text.Json.JsonValueKind.Null, application.GetProperty("org_id").ValueKind);
        var orgs = (await api.GetAsync("/admin/v1/organizations?limit=500")).Json.GetProperty("data");
        Assert.DoesNotContain(orgs.EnumerateArray(), o => o.GetProperty("name").GetString() == application.GetProperty("organization_name").GetString());
    }

    [Fact]
    public async Task Approve_Twice_Is409Conflict()
    {
        using var api = new AdminApi(Host);
        var id = await api.ApplyAsync();
        (await api.PostAsync($"/admin/v1/applications/{id}/approve", new { tier = "trial" })).AssertStatus(HttpStatusCode.OK);
        (await api.PostAsync($"/admin/v1/applications/{id}/approve", new { tier = "trial" })).AssertError(HttpStatusCode.Conflict, "conflict");
    }

    [Fact]
    public async Task Approve_UnknownTier_Is400NamingTier()
    {
        using var api = new AdminApi(Host);
        var id = await api.ApplyAsync();
        Assert.Equal("tier", (await api.PostAsync($"/admin/v1/applications/{id}/approve", new { tier = "platinum" }))
            .AssertError(HttpStatusCode.BadRequest, "invalid_request_error"));
    }

    [Fact]
    public async Task Revoke_Key_NextRequestIs401InvalidApiKey()
    {
        using var api = new AdminApi(Host);
        var orgId = await api.OnboardAsync();
        var (keyId, secret) = await api.CreateKeyAsync(orgId);
        var chat = Host.OpenAi(secret).GetChatClient(MoatTestHost.Model);
        await chat.CompleteChatAsync([new UserChatMessage("hello")]);

        var revoked = (await api.PostAsync($"/admin/v1/organizations/{orgId}/keys/{keyId}/revoke", new { reason = "leaked on GitHub" })).AssertStatus(HttpStatusCode.OK).Json;
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, revoked.GetProperty("revoked_at").ValueKind);
        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hello")]));
        Assert.Equal(401, error.Status);
        Assert.Equal("invalid_api_key", Errors.Code(error));
    }

    [Fact]
    public async Task Keys_ListAndAudit_NeverContainTheSecret()
    {
        using var api = new AdminApi(Host);
        var orgId = await api.OnboardAsync();
        var (keyId, secret) = await api.CreateKeyAsync(orgId);
        (await api.PostAsync($"/admin/v1/organizations/{orgId}/keys/{keyId}/rotate", new { reason = "scheduled", grace_seconds = 0 })).AssertStatus(HttpStatusCode.OK);

        var list = await api.GetAsync($"/admin/v1/organizations/{orgId}/keys");
        Assert.Equal(2, list.AssertStatus(HttpStatusCode.OK).Json.GetProperty("data").GetArrayLength());
        Assert.StartsWith(list.Json.GetProperty("data")[0].GetProperty("prefix").GetString()!, secret, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, (await api.GetAsync("/admin/v1/audit?limit=500")).Body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"key\":", list.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminRoute_ApiKeyAsBearer_Is401InvalidAdminToken()
    {
        using var admin = new AdminApi(Host);
        var orgId = await admin.OnboardAsync();
        var (_, secret) = await admin.CreateKeyAsync(orgId);
        using var customer = new AdminApi(Host, token: secret);
        (await customer.GetAsync($"/admin/v1/organizations/{orgId}")).AssertError(HttpStatusCode.Unauthorized, "invalid_admin_token");
        (await customer.GetAsync("/admin/v1/usage")).AssertError(HttpStatusCode.Unauthorized, "invalid_admin_token");
    }

    [Fact]
    public async Task AdminRoute_WrongToken_Is401AndAuditedWithoutTheToken()
    {
        const string wrong = "moat-admin-guess-1234567890";
        using var attacker = new AdminApi(Host, token: wrong);
        (await attacker.GetAsync("/admin/v1/organizations")).AssertError(HttpStatusCode.Unauthorized, "invalid_admin_token");
        Assert.Equal("no-store", (await attacker.GetAsync("/admin/v1/audit")).Headers.CacheControl?.ToString());
        // Failures are audited in per-address summaries once per window; flush the window now.
        await Host.Services.GetRequiredService<Moat.Admin.SignIn.FailedSignInAuditor>().FlushAsync();

        using var admin = new AdminApi(Host);
        var failures = await admin.GetAsync("/admin/v1/audit?action=admin.login_failed");
        var entry = failures.AssertStatus(HttpStatusCode.OK).Json.GetProperty("data")[0];
        Assert.Equal("127.0.0.1", entry.GetProperty("payload").GetProperty("client_ip").GetString());
        Assert.True(entry.GetProperty("payload").GetProperty("failures").GetInt32() >= 2);
        Assert.DoesNotContain(wrong, failures.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("moat-detection")]
    [InlineData("moat-system")]
    [InlineData("MOAT-Anything")]
    [InlineData("anonymous")]
    [InlineData("portal")]
    [InlineData("console:alice")]
    [InlineData("bob\tsmith")]
    [InlineData("a-name-that-is-far-too-long-to-be-anyones-name-in-an-audit-log-65")]
    public async Task AdminRoute_ActorHeaderReservedOrMalformed_Is400NamingTheHeaderAndChangesNothing(string actor)
    {
        using var api = new AdminApi(Host);
        var orgId = await api.OnboardAsync();
        using var http = Host.Http(MoatTestHost.AdminToken);
        http.DefaultRequestHeaders.TryAddWithoutValidation("X-Moat-Actor", actor);

        using var response = await http.PostAsync($"/admin/v1/organizations/{orgId}/suspend",
            System.Net.Http.Json.JsonContent.Create(new { reason = "pretending to be the detection engine" }));
        var answer = new ApiAnswer(response.StatusCode, System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone(),
            await response.Content.ReadAsStringAsync(), response.Headers);

        Assert.Equal("X-Moat-Actor", answer.AssertError(HttpStatusCode.BadRequest, "invalid_request_error"));
        var organization = (await api.GetAsync($"/admin/v1/organizations/{orgId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("active", organization.Json.GetProperty("state").GetString());
    }

    [Fact]
    public async Task AdminRoute_PlainActorHeader_RecordedAsTheActor()
    {
        using var api = new AdminApi(Host);
        var orgId = await api.OnboardAsync();
        using var http = Host.Http(MoatTestHost.AdminToken);
        http.DefaultRequestHeaders.Add("X-Moat-Actor", "dana.moat-ops");

        using var response = await http.PostAsync($"/admin/v1/organizations/{orgId}/warn", System.Net.Http.Json.JsonContent.Create(new { reason = "named operator" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var audit = (await api.GetAsync($"/admin/v1/audit?action=org.warn")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains(audit.Json.GetProperty("data").EnumerateArray(),
            e => e.GetProperty("subject").GetString() == orgId && e.GetProperty("actor").GetString() == "dana.moat-ops");
    }

    [Fact]
    public async Task AdminRoute_MissingToken_Is401AndEveryAnswerIsNoStore()
    {
        using var anonymous = new AdminApi(Host, token: null);
        var refused = await anonymous.GetAsync("/admin/v1/applications");
        refused.AssertError(HttpStatusCode.Unauthorized, "invalid_admin_token");
        Assert.True(refused.Headers.CacheControl?.NoStore);

        using var admin = new AdminApi(Host);
        Assert.True((await admin.GetAsync("/admin/v1/applications")).AssertStatus(HttpStatusCode.OK).Headers.CacheControl?.NoStore);
        Assert.True((await admin.GetAsync("/admin/v1/no-such-route")).AssertStatus(HttpStatusCode.NotFound).Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Limits_Put_OverridesMergeAndChangeIsAudited()
    {
        using var api = new AdminApi(Host);
        var orgId = await api.OnboardAsync("trial");
        (await api.PutAsync($"/admin/v1/organizations/{orgId}/limits", new { requests_per_minute = 5 })).AssertError(HttpStatusCode.BadRequest, "invalid_request_error");
        var org = (await api.PutAsync($"/admin/v1/organizations/{orgId}/limits", new { requests_per_minute = 5, reason = "pilot" })).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal(5, org.GetProperty("limits").GetProperty("requests_per_minute").GetInt32());
        Assert.Equal(5, org.GetProperty("overrides").GetProperty("requests_per_minute").GetInt32());
        Assert.Equal(200_000, org.GetProperty("limits").GetProperty("tokens_per_day").GetInt64());

        var tier = (await api.PutAsync($"/admin/v1/organizations/{orgId}/tier", new { tier = "enterprise", reason = "signed contract" })).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal("enterprise", tier.GetProperty("tier").GetString());
        var audit = (await api.GetAsync($"/admin/v1/audit?subject={orgId}")).Json.GetProperty("data");
        Assert.Equal(["org.tier", "org.limits"], audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()!).Take(2));
    }

    [Fact]
    public async Task ResolveCase_Reinstated_ServesAgainAndClosesCase()
    {
        using var api = new AdminApi(Host);
        var orgId = await api.OnboardAsync();
        var (_, secret) = await api.CreateKeyAsync(orgId);
        var caseId = (await api.PostAsync($"/admin/v1/organizations/{orgId}/suspend", new { reason = "benchmark harvesting" })).Json.GetProperty("open_case_id").GetString()!;
        (await api.PostAsync($"/admin/v1/cases/{caseId}/notes", new { text = "called the customer" })).AssertStatus(HttpStatusCode.OK);

        var resolved = (await api.PostAsync($"/admin/v1/cases/{caseId}/resolve", new { resolution = "reinstated", reason = "declared eval use", required_changes = "stop running MMLU" }))
            .AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        Assert.Equal("reinstated", resolved.GetProperty("resolution").GetString());
        Assert.Contains(resolved.GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "note");
        await Host.OpenAi(secret).GetChatClient(MoatTestHost.Model).CompleteChatAsync([new UserChatMessage("hello")]);
        (await api.PostAsync($"/admin/v1/cases/{caseId}/resolve", new { resolution = "terminated", reason = "again" })).AssertError(HttpStatusCode.Conflict, "conflict");
        var open = (await api.GetAsync($"/admin/v1/cases?status=open&org_id={orgId}")).Json.GetProperty("data");
        Assert.Equal(0, open.GetArrayLength());
    }

    [Fact]
    public async Task Usage_AfterRequests_AggregatesPerOrganization()
    {
        using var api = new AdminApi(Host);
        var orgId = await api.OnboardAsync();
        var (_, secret) = await api.CreateKeyAsync(orgId);
        var chat = Host.OpenAi(secret).GetChatClient(MoatTestHost.Model);
        await chat.CompleteChatAsync([new UserChatMessage("one")]);
        await chat.CompleteChatAsync([new UserChatMessage("two")]);
        await Host.FlushLedgerAsync();

        var usage = (await api.GetAsync($"/admin/v1/usage?org_id={orgId}&group_by=hour")).AssertStatus(HttpStatusCode.OK).Json.GetProperty("data");
        Assert.Equal(2, usage.EnumerateArray().Sum(r => r.GetProperty("requests").GetInt64()));
        var org = (await api.GetAsync($"/admin/v1/organizations/{orgId}")).Json;
        Assert.Equal(2, org.GetProperty("usage").GetProperty("requests_24h").GetInt64());
        // Detection scores the organisation off the request path: its risk appears once the loop has seen the traffic.
        for (var wait = 0; org.GetProperty("risk").ValueKind == System.Text.Json.JsonValueKind.Null && wait < 100; wait++)
        {
            await Task.Delay(50);
            org = (await api.GetAsync($"/admin/v1/organizations/{orgId}")).Json;
        }
        Assert.Equal("low", org.GetProperty("risk").GetProperty("level").GetString());
        Assert.True(org.GetProperty("risk").GetProperty("score").GetDouble() < 50);
        (await api.GetAsync("/admin/v1/usage?group_by=week")).AssertError(HttpStatusCode.BadRequest, "invalid_request_error");
    }

    [Fact]
    public async Task OpenApi_Document_ListsAdminAndPortalRoutes()
    {
        using var http = Host.Http(MoatTestHost.AdminToken); // not anonymous: docs/security.md, row 18
        var document = await http.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/admin/v1/organizations", document, StringComparison.Ordinal);
        Assert.Contains("/portal/v1/applications", document, StringComparison.Ordinal);
        Assert.DoesNotContain("/v1/chat/completions", document, StringComparison.Ordinal);
    }
}

/// <summary>Tests that need their own host: a fake clock, default portal limits, or a pristine audit log.</summary>
public sealed class AdminIsolatedHostTests
{
    [Fact]
    public async Task Rotate_Key_NewWorksAndOldWorksOnlyWithinGrace()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        await using var host = await MoatTestHost.StartAsync(b => AdminApi.Generous(b).Time = clock);
        using var api = new AdminApi(host);
        var orgId = await api.OnboardAsync();
        var (keyId, oldSecret) = await api.CreateKeyAsync(orgId);

        var rotated = (await api.PostAsync($"/admin/v1/organizations/{orgId}/keys/{keyId}/rotate", new { reason = "quarterly", grace_seconds = 60 }))
            .AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal(keyId, rotated.GetProperty("replaces").GetString());
        var newChat = host.OpenAi(rotated.GetProperty("key").GetString()!).GetChatClient(MoatTestHost.Model);
        var oldChat = host.OpenAi(oldSecret).GetChatClient(MoatTestHost.Model);
        await newChat.CompleteChatAsync([new UserChatMessage("new key")]);
        await oldChat.CompleteChatAsync([new UserChatMessage("old key, within grace")]);

        clock.Advance(TimeSpan.FromSeconds(61));
        var error = await Assert.ThrowsAsync<ClientResultException>(() => oldChat.CompleteChatAsync([new UserChatMessage("old key, after grace")]));
        Assert.Equal("invalid_api_key", Errors.Code(error));
        await newChat.CompleteChatAsync([new UserChatMessage("new key still")]);
    }

    [Fact]
    public async Task Submit_FloodFromOneAddress_Is429WithRetryAfter()
    {
        await using var host = await MoatTestHost.StartAsync();
        using var api = new AdminApi(host, token: null);
        for (var i = 0; i < 5; i++)
        {
            await api.ApplyAsync();
        }
        var refused = await api.PostAsync("/portal/v1/applications", new ApplicationBuilder().Build());
        refused.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task VerifyAudit_RowEditedWithRawSql_ReportsInvalidAtThatSeq()
    {
        await using var host = await MoatTestHost.StartAsync(b => AdminApi.Generous(b));
        using var api = new AdminApi(host);
        await api.OnboardAsync();
        await api.OnboardAsync();
        Assert.True((await api.GetAsync("/admin/v1/audit/verify")).Json.GetProperty("valid").GetBoolean());

        var contexts = host.Services.GetRequiredService<IDbContextFactory<MoatDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 3");
        }

        var verify = (await api.GetAsync("/admin/v1/audit/verify")).AssertStatus(HttpStatusCode.OK).Json;
        Assert.False(verify.GetProperty("valid").GetBoolean());
        Assert.Equal(3, verify.GetProperty("first_broken_seq").GetInt64());
    }
}
