using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Moat.Storage;

namespace Moat.Admin.Api;

/// <summary>Metered usage under /admin/v1/usage, filtered and optionally grouped by hour or day.</summary>
internal static class UsageEndpoints
{
    public static RouteGroupBuilder MapMoatUsageApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/usage", QueryUsageAsync);
        return admin;
    }

    private static async Task<Ok<ListResponse<UsageRow>>> QueryUsageAsync(
        HttpContext http, UsageStore usage,
        [FromQuery(Name = "org_id")] string? orgId = null,
        [FromQuery(Name = "key_id")] string? keyId = null,
        string? model = null,
        [FromQuery(Name = "group_by")] string? groupBy = null,
        string? from = null,
        string? to = null)
    {
        var grouping = groupBy switch
        {
            null or "" => UsageGrouping.None,
            "hour" => UsageGrouping.Hour,
            "day" => UsageGrouping.Day,
            _ => throw AdminApiException.Invalid("'group_by' must be hour or day.", "group_by"),
        };
        var query = new UsageQuery(QueryText.Blank(orgId), QueryText.Blank(keyId), QueryText.Blank(model), Instant(from, "from"), Instant(to, "to"), grouping);
        var buckets = await usage.QueryAsync(query, http.RequestAborted).ConfigureAwait(false);
        var rows = buckets
            .Select(b => new UsageRow(b.Start, query.OrgId, query.KeyId, query.Model, b.Requests, b.PromptTokens, b.CompletionTokens, b.Errors))
            .ToList();
        return TypedResults.Ok(new ListResponse<UsageRow>(rows, null));
    }

    private static DateTimeOffset? Instant(string? text, string param)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant
            : throw AdminApiException.Invalid($"'{param}' must be an ISO 8601 timestamp.", param);
    }
}

public sealed record UsageRow(
    DateTimeOffset? PeriodStart,
    string? OrgId,
    string? KeyId,
    string? Model,
    long Requests,
    long PromptTokens,
    long CompletionTokens,
    long Errors);
