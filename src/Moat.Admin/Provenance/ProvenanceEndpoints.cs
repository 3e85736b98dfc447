using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Moat.Admin.Api;
using Moat.Core.Errors;
using Moat.Provenance;

namespace Moat.Admin.Provenance;

/// <summary>POST /admin/v1/provenance/search: which account was this passage served to?</summary>
public static class ProvenanceEndpoints
{
    private const int MaxTextChars = 1_000_000;

    /// <summary>Maps the search route onto the (already authenticated) admin group.</summary>
    public static RouteGroupBuilder MapMoatProvenanceApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/provenance/search", SearchAsync)
            .WithName("SearchProvenance")
            .WithSummary("Attribute a passage to the organisation and key it was served to.");
        return admin;
    }

    private static async Task<IResult> SearchAsync(HttpContext context, IProvenanceIndex index)
    {
        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return OpenAiError.InvalidRequest("The body must be a JSON object: {\"text\": \"…\", \"limit\": 10}.").AsResult();
        }
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String)
        {
            return OpenAiError.InvalidRequest("'text' is required and must be a string.", "text").AsResult();
        }
        var text = textElement.GetString()!;
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextChars)
        {
            return OpenAiError.InvalidRequest($"'text' must be non-empty and at most {MaxTextChars} characters.", "text").AsResult();
        }
        var limit = 10;
        if (body.TryGetProperty("limit", out var limitElement) && limitElement.ValueKind != JsonValueKind.Null)
        {
            if (limitElement.ValueKind != JsonValueKind.Number || !limitElement.TryGetInt32(out limit) || limit is < 1 or > 100)
            {
                return OpenAiError.InvalidRequest("'limit' must be an integer between 1 and 100.", "limit").AsResult();
            }
        }
        var result = index.Search(text, limit);
        return TypedResults.Json(new
        {
            verdict = result.Verdict,
            matches = result.Matches.Select(m => new
            {
                org_id = m.OrgId,
                key_id = m.KeyId,
                request_id = m.RequestId,
                model = m.Model,
                served_at = m.ServedAt,
                score = Math.Round(m.Score, 4),
                matched_fraction = Math.Round(m.MatchedFraction, 4),
            }),
        });
    }
}
