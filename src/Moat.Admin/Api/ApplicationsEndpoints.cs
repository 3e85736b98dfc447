using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Moat.Admin.Access;
using Moat.Core.Access;
using Moat.Storage.Entities;

namespace Moat.Admin.Api;

/// <summary>Access applications under /admin/v1/applications: list, read, approve (creates the organisation), reject.</summary>
internal static class ApplicationsEndpoints
{
    public static RouteGroupBuilder MapMoatApplicationsApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/applications", ListApplicationsAsync);
        admin.MapGet("/applications/{id}", GetApplicationAsync);
        admin.MapPost("/applications/{id}/approve", ApproveAsync).Accepts<ApproveRequest>("application/json");
        admin.MapPost("/applications/{id}/reject", RejectAsync).Accepts<ReasonRequest>("application/json");
        return admin;
    }

    private static async Task<Ok<ListResponse<ApplicationResponse>>> ListApplicationsAsync(
        HttpContext http, AccessService access, string? status = null, string? cursor = null, string? limit = null)
    {
        ApplicationStatus? wanted = status switch
        {
            null or "" => null,
            "pending" => ApplicationStatus.Pending,
            "approved" => ApplicationStatus.Approved,
            "rejected" => ApplicationStatus.Rejected,
            _ => throw AdminApiException.Invalid("'status' must be pending, approved or rejected.", "status"),
        };
        var page = await access.ListApplicationsAsync(wanted, cursor, Paging.Limit(limit), http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(new ListResponse<ApplicationResponse>(page.Data.Select(ApplicationResponse.From).ToList(), page.NextCursor));
    }

    private static async Task<Ok<ApplicationResponse>> GetApplicationAsync(string id, HttpContext http, AccessService access) =>
        TypedResults.Ok(ApplicationResponse.From(await access.GetApplicationAsync(id, http.RequestAborted).ConfigureAwait(false)));

    private static async Task<Ok<ApprovalResponse>> ApproveAsync(string id, HttpContext http, AccessService access)
    {
        var body = await JsonBody.ReadAsync<ApproveRequest>(http.Request).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(body.Tier))
        {
            throw AdminApiException.Invalid("'tier' is required.", "tier");
        }
        var reason = string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim();
        var application = await access.ApproveAsync(id, body.Tier.Trim(), reason, AdminAuthFilter.ActorOf(http), http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(new ApprovalResponse(application.Id, application.OrgId!, application.Tier!));
    }

    private static async Task<Ok<ApplicationResponse>> RejectAsync(string id, HttpContext http, AccessService access)
    {
        var body = await JsonBody.ReadAsync<ReasonRequest>(http.Request).ConfigureAwait(false);
        var reason = AdminApiException.RequireReason(body.Reason);
        var application = await access.RejectAsync(id, reason, AdminAuthFilter.ActorOf(http), http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(ApplicationResponse.From(application));
    }
}

public sealed record ApplicationResponse(
    string Id,
    string OrganizationName,
    string ContactEmail,
    string IntendedUse,
    string UseCaseCategory,
    long ExpectedMonthlyTokens,
    string TermsVersion,
    string Status,
    DateTimeOffset SubmittedAt,
    string? ReviewedBy,
    DateTimeOffset? ReviewedAt,
    string? ReviewReason,
    string? OrgId,
    string? Tier)
{
    public static ApplicationResponse From(ApplicationEntity a) => new(
        a.Id, a.OrganizationName, a.ContactEmail, a.IntendedUse, a.UseCaseCategory, a.ExpectedMonthlyTokens, a.TermsVersion,
        Wire(a.Status), a.SubmittedAt, a.ReviewedBy, a.ReviewedAt, a.ReviewReason, a.OrgId, a.Tier);

    public static string Wire(ApplicationStatus status) => status.ToString().ToLowerInvariant();
}

public sealed record ApprovalResponse(string ApplicationId, string OrgId, string Tier);

public sealed record ApproveRequest(string? Tier, string? Reason);

// The portal's view of an application (Portal/PortalEndpoints.cs).

public sealed record TermsResponse(string Version, string Text);

public sealed record ApplicationReceipt(string Id, string Status);

public sealed record ApplicationStatusResponse(string Id, string Status, string? OrgId);

public sealed record SubmitApplicationRequest(
    string? OrganizationName,
    string? ContactEmail,
    string? IntendedUse,
    string? UseCaseCategory,
    long? ExpectedMonthlyTokens,
    string? TermsVersion);
