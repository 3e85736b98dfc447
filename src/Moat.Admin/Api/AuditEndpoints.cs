using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Moat.Storage;
using Moat.Storage.Entities;

namespace Moat.Admin.Api;

/// <summary>The hash-chained audit log under /admin/v1/audit, and its verification.</summary>
internal static class AuditEndpoints
{
    public static RouteGroupBuilder MapMoatAuditApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/audit", ListAuditAsync);
        admin.MapGet("/audit/verify", VerifyAuditAsync);
        return admin;
    }

    private static async Task<Ok<ListResponse<AuditEntryResponse>>> ListAuditAsync(
        HttpContext http, AuditLog audit, string? cursor = null, string? limit = null, string? action = null, string? subject = null)
    {
        Page<AuditEntryEntity> page;
        try
        {
            page = await audit.ListAsync(QueryText.Blank(cursor), Paging.Limit(limit), new AuditQuery(Action: QueryText.Blank(action), Subject: QueryText.Blank(subject)), http.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            throw AdminApiException.Invalid("'cursor' is not an audit cursor; pass back next_cursor.", "cursor");
        }
        return TypedResults.Ok(new ListResponse<AuditEntryResponse>(page.Data.Select(AuditEntryResponse.From).ToList(), page.NextCursor));
    }

    private static async Task<Ok<AuditVerifyResponse>> VerifyAuditAsync(HttpContext http, AuditLog audit) =>
        TypedResults.Ok(AuditVerifyResponse.From(await audit.VerifyAsync(http.RequestAborted).ConfigureAwait(false)));
}

public sealed record AuditEntryResponse(long Seq, DateTimeOffset At, string Actor, string Action, string Subject, JsonElement? Payload, string PrevHash, string Hash)
{
    public static AuditEntryResponse From(AuditEntryEntity e) =>
        new(e.Seq, e.At, e.Actor, e.Action, e.Subject, AdminJson.Element(e.PayloadJson), e.PrevHash, e.Hash);
}

public sealed record AuditVerifyResponse(bool Valid, long Entries, long? FirstBrokenSeq)
{
    public static AuditVerifyResponse From(AuditVerification v) => new(v.Valid, v.Entries, v.FirstBrokenSeq);
}
