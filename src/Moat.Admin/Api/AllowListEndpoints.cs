using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Moat.Admin.AllowList;
using Moat.Storage.Entities;

namespace Moat.Admin.Api;

/// <summary>The detection allow-list under /admin/v1/allow-list: list, remove (entries are added by resolving a case as a false positive).</summary>
internal static class AllowListEndpoints
{
    public static RouteGroupBuilder MapMoatAllowListApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/allow-list", ListAsync);
        admin.MapDelete("/allow-list/{orgId}", RemoveAsync).Accepts<ReasonRequest>("application/json");
        return admin;
    }

    private static async Task<Ok<ListResponse<AllowListEntryResponse>>> ListAsync(
        HttpContext http, AllowListService allowList, TimeProvider time, string? cursor = null, string? limit = null)
    {
        var page = await allowList.ListAsync(QueryText.Blank(cursor), Paging.Limit(limit), http.RequestAborted).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return TypedResults.Ok(new ListResponse<AllowListEntryResponse>(page.Data.Select(e => AllowListEntryResponse.From(e, now)).ToList(), page.NextCursor));
    }

    private static async Task<Ok<AllowListEntryResponse>> RemoveAsync(string orgId, HttpContext http, AllowListService allowList, TimeProvider time)
    {
        var body = await JsonBody.ReadAsync<ReasonRequest>(http.Request).ConfigureAwait(false);
        var reason = AdminApiException.RequireReason(body.Reason);
        var removed = await allowList.RemoveAsync(orgId, reason, AdminAuthFilter.ActorOf(http), http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(AllowListEntryResponse.From(removed, time.GetUtcNow()) with { Active = false });
    }
}

/// <summary>An allow-list entry: <c>{org_id, case_id, reason, created_by, created_at, expires_at, active}</c>.</summary>
public sealed record AllowListEntryResponse(
    string OrgId,
    string CaseId,
    string Reason,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    bool Active)
{
    public static AllowListEntryResponse From(OrgAllowListEntity entry, DateTimeOffset now) =>
        new(entry.OrgId, entry.CaseId, entry.Reason, entry.CreatedBy, entry.CreatedAt, entry.ExpiresAt, entry.ExpiresAt > now);
}
