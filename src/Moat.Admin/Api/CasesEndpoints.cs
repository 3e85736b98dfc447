using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Moat.Admin.AllowList;
using Moat.Admin.Cases;
using Moat.Storage.Entities;

namespace Moat.Admin.Api;

/// <summary>Investigation cases under /admin/v1/cases: list, read, add a note, resolve.</summary>
internal static class CasesEndpoints
{
    public static RouteGroupBuilder MapMoatCasesApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/cases", ListCasesAsync);
        admin.MapGet("/cases/{id}", GetCaseAsync);
        admin.MapPost("/cases/{id}/notes", AddNoteAsync).Accepts<NoteRequest>("application/json");
        admin.MapPost("/cases/{id}/resolve", ResolveCaseAsync).Accepts<ResolveCaseRequest>("application/json");
        return admin;
    }

    private static async Task<Ok<ListResponse<CaseResponse>>> ListCasesAsync(
        HttpContext http, CaseService cases, string? status = null, [FromQuery(Name = "org_id")] string? orgId = null, string? cursor = null, string? limit = null)
    {
        CaseStatus? wanted = status switch
        {
            null or "" => null,
            "open" => CaseStatus.Open,
            "resolved" => CaseStatus.Resolved,
            _ => throw AdminApiException.Invalid("'status' must be open or resolved.", "status"),
        };
        var page = await cases.ListAsync(wanted, QueryText.Blank(orgId), cursor, Paging.Limit(limit), http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(new ListResponse<CaseResponse>(page.Data.Select(CaseResponse.From).ToList(), page.NextCursor));
    }

    private static async Task<Ok<CaseResponse>> GetCaseAsync(string id, HttpContext http, CaseService cases) =>
        TypedResults.Ok(CaseResponse.From(await cases.GetAsync(id, http.RequestAborted).ConfigureAwait(false)));

    private static async Task<Ok<CaseResponse>> AddNoteAsync(string id, HttpContext http, CaseService cases)
    {
        var body = await JsonBody.ReadAsync<NoteRequest>(http.Request).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(body.Text))
        {
            throw AdminApiException.Invalid("'text' is required.", "text");
        }
        AdminApiException.RequirePlainText(body.Text, "text", allowLineBreaks: true);
        var investigation = await cases.AddNoteAsync(id, body.Text.Trim(), AdminAuthFilter.ActorOf(http), http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(CaseResponse.From(investigation));
    }

    private static async Task<Ok<CaseResponse>> ResolveCaseAsync(string id, HttpContext http, CaseService cases)
    {
        var body = await JsonBody.ReadAsync<ResolveCaseRequest>(http.Request).ConfigureAwait(false);
        var resolution = body.Resolution switch
        {
            "reinstated" => CaseResolution.Reinstated,
            "terminated" => CaseResolution.Terminated,
            _ => throw AdminApiException.Invalid("'resolution' must be reinstated or terminated.", "resolution"),
        };
        CaseVerdict? verdict = body.Verdict switch
        {
            null => null,
            "confirmed" => CaseVerdict.Confirmed,
            "false_positive" => CaseVerdict.FalsePositive,
            _ => throw AdminApiException.Invalid("'verdict' must be false_positive or confirmed.", "verdict"),
        };
        if (verdict == CaseVerdict.FalsePositive && resolution != CaseResolution.Reinstated)
        {
            throw AdminApiException.Invalid("A 'false_positive' verdict reinstates the organization: 'resolution' must be reinstated.", "verdict");
        }
        if (body.AllowListDays is { } days && (verdict != CaseVerdict.FalsePositive || days is < 1 or > AllowListService.MaxDays))
        {
            throw AdminApiException.Invalid(verdict == CaseVerdict.FalsePositive
                ? $"'allow_list_days' must be an integer from 1 to {AllowListService.MaxDays}."
                : "'allow_list_days' is only allowed with the 'false_positive' verdict.", "allow_list_days");
        }
        var reason = AdminApiException.RequireReason(body.Reason);
        var requiredChanges = string.IsNullOrWhiteSpace(body.RequiredChanges) ? null : body.RequiredChanges.Trim();
        var investigation = await cases.ResolveAsync(id, resolution, reason, requiredChanges, AdminAuthFilter.ActorOf(http), http.RequestAborted,
            verdict, body.AllowListDays ?? AllowListService.DefaultDays).ConfigureAwait(false);
        return TypedResults.Ok(CaseResponse.From(investigation));
    }
}

public sealed record CaseResponse(
    string Id,
    string OrgId,
    string Status,
    string OpenedBy,
    DateTimeOffset OpenedAt,
    string Reason,
    string? Resolution,
    string? RequiredChanges,
    string? ResolvedBy,
    DateTimeOffset? ResolvedAt,
    IReadOnlyList<CaseEventResponse> Events)
{
    public static CaseResponse From(CaseEntity c)
    {
        var events = new List<CaseEventResponse>(c.Events.Count);
        foreach (var e in c.Events.OrderBy(e => e.At).ThenBy(e => e.Id))
        {
            events.Add(CaseEventResponse.From(e));
        }
        return new CaseResponse(
            c.Id, c.OrgId, c.Status.ToString().ToLowerInvariant(), c.OpenedBy, c.OpenedAt, c.Reason,
            c.Resolution?.ToString().ToLowerInvariant(), c.RequiredChanges, c.ResolvedBy, c.ResolvedAt, events);
    }
}

public sealed record CaseEventResponse(long Id, DateTimeOffset At, string Actor, string Kind, string Text, JsonElement? Payload)
{
    public static CaseEventResponse From(CaseEventEntity e) =>
        new(e.Id, e.At, e.Actor, e.Kind.ToString().ToLowerInvariant(), e.Text, AdminJson.Element(e.PayloadJson));
}

public sealed record NoteRequest(string? Text);

public sealed record ResolveCaseRequest(string? Resolution, string? Reason, string? RequiredChanges, string? Verdict = null, int? AllowListDays = null);
