using System.ClientModel;
using System.Net;
using Moat.Functional.Tests.Infrastructure;
using Moat.Testing;
using OpenAI.Chat;

namespace Moat.Functional.Tests.Admin;

/// <summary>The limited-access programme end to end through the real host: apply, approve, serve, enforce, audit.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Lifecycle_ApplyApproveServeSuspendReinstateTerminate_EnforcedAndFullyAudited()
    {
        await using var host = await MoatTestHost.StartAsync(b => AdminApi.Generous(b));
        using var api = new AdminApi(host);

        // Apply through the portal and see the application pending.
        var applicationId = await api.ApplyAsync();
        var status = await api.GetAsync($"/portal/v1/applications/{applicationId}");
        Assert.Equal("pending", status.AssertStatus(HttpStatusCode.OK).Json.GetProperty("status").GetString());

        // Approve: an active organisation in the tier, and the portal shows it.
        var approved = (await api.PostAsync($"/admin/v1/applications/{applicationId}/approve", new { tier = "standard" })).AssertStatus(HttpStatusCode.OK);
        var orgId = approved.Json.GetProperty("org_id").GetString()!;
        Assert.Equal("standard", approved.Json.GetProperty("tier").GetString());
        var afterApproval = (await api.GetAsync($"/portal/v1/applications/{applicationId}")).Json;
        Assert.Equal("approved", afterApproval.GetProperty("status").GetString());
        Assert.Equal(orgId, afterApproval.GetProperty("org_id").GetString());
        var review = (await api.GetAsync($"/admin/v1/applications/{applicationId}")).Json;
        Assert.Equal("alice", review.GetProperty("reviewed_by").GetString());

        // A key works with the official SDK.
        var (keyId, secret) = await api.CreateKeyAsync(orgId);
        var chat = host.OpenAi(secret).GetChatClient(MoatTestHost.Model);
        await chat.CompleteChatAsync([new UserChatMessage("hello")]);

        var org = (await api.GetAsync($"/admin/v1/organizations/{orgId}")).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal("active", org.GetProperty("state").GetString());
        Assert.Equal(keyId, org.GetProperty("keys")[0].GetProperty("id").GetString());
        Assert.False(org.GetProperty("keys")[0].TryGetProperty("key", out _));

        // Suspend: the next request is refused, and a case holds the suspension.
        var suspended = (await api.PostAsync($"/admin/v1/organizations/{orgId}/suspend", new { reason = "template-generated extraction traffic" }))
            .AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal("suspended", suspended.GetProperty("state").GetString());
        var caseId = suspended.GetProperty("open_case_id").GetString()!;
        Assert.Equal("account_suspended", await RefusedCodeAsync(chat, 403));

        var investigation = (await api.GetAsync($"/admin/v1/cases/{caseId}")).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal("open", investigation.GetProperty("status").GetString());
        Assert.Equal(orgId, investigation.GetProperty("org_id").GetString());
        Assert.Contains(investigation.GetProperty("events").EnumerateArray(),
            e => e.GetProperty("kind").GetString() == "action" && e.GetProperty("text").GetString()!.Contains("suspend", StringComparison.Ordinal));

        // Reinstate: served again.
        (await api.PostAsync($"/admin/v1/organizations/{orgId}/reinstate", new { reason = "customer explained the batch job" })).AssertStatus(HttpStatusCode.OK);
        await chat.CompleteChatAsync([new UserChatMessage("hello again")]);

        // Terminate: final.
        (await api.PostAsync($"/admin/v1/organizations/{orgId}/terminate", new { reason = "repeated distillation" })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("account_terminated", await RefusedCodeAsync(chat, 403));
        (await api.PostAsync($"/admin/v1/organizations/{orgId}/reinstate", new { reason = "appeal" }))
            .AssertError(HttpStatusCode.Conflict, "illegal_transition");

        // The audit chain verifies and holds every step.
        var verify = (await api.GetAsync("/admin/v1/audit/verify")).AssertStatus(HttpStatusCode.OK).Json;
        Assert.True(verify.GetProperty("valid").GetBoolean());
        Assert.Equal(JsonValueKindNull, verify.GetProperty("first_broken_seq").ValueKind);
        var actions = await api.AuditActionsAsync();
        Assert.Equal(
            ["application.submit", "application.approve", "key.create", "case.open", "org.suspend", "org.reinstate", "org.terminate"],
            actions);
        Assert.Equal(actions.Count, verify.GetProperty("entries").GetInt64());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    private static async Task<string> RefusedCodeAsync(ChatClient chat, int status)
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hello")]));
        Assert.Equal(status, error.Status);
        return Errors.Code(error);
    }
}
