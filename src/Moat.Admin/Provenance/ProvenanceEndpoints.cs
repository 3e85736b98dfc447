using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Moat.Admin.Api;
using Moat.Admin.Cases;
using Moat.Core.Errors;
using Moat.Provenance;
using Moat.Provenance.Scan;

namespace Moat.Admin.Provenance;

/// <summary>
/// Provenance under /admin/v1/provenance: <c>search</c> (which account was this passage served to?) and <c>scan</c> (did
/// this dataset come from one of our accounts?), with background scans, their HTML reports and attachment to cases.
/// </summary>
public static class ProvenanceEndpoints
{
    private const int MaxTextChars = 1_000_000;

    /// <summary>Maps the provenance routes onto the (already authenticated) admin group.</summary>
    public static RouteGroupBuilder MapMoatProvenanceApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/provenance/search", SearchAsync)
            .WithName("SearchProvenance")
            .WithSummary("Attribute a passage to the organisation and key it was served to.");
        admin.MapPost("/provenance/scan", ScanAsync)
            .WithName("ScanDataset")
            .WithSummary("Attribute a leaked dataset (JSON {passages}, or a JSON Lines, CSV or text upload) to accounts, with p-values.");
        admin.MapPost("/provenance/scans", StartScanAsync)
            .WithName("StartDatasetScan")
            .WithSummary("Start a background dataset scan; poll GET /provenance/scans/{id} for progress and the result.");
        admin.MapGet("/provenance/scans", ListScans);
        admin.MapGet("/provenance/scans/{id}", GetScan);
        admin.MapPost("/provenance/scans/{id}/cancel", CancelScan);
        admin.MapGet("/provenance/scans/{id}/report", Report);
        admin.MapPost("/provenance/scans/{id}/attach", AttachAsync);
        return admin;
    }

    private static async Task<IResult> SearchAsync(HttpContext context, IProvenanceIndex index, ProvenanceScanService scans)
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
        var nullModel = scans.NullModel;
        var best = result.Matches.Count > 0 ? result.Matches[0] : result.Candidates.Count > 0 ? result.Candidates[0] : null;
        return TypedResults.Json(new
        {
            verdict = result.Verdict,
            matches = result.Matches.Select(m => MatchJson(m, nullModel)),
            // Extensions: the best candidate's calibrated false-match probability, and an inconclusive search's candidates.
            false_match_probability = best is null ? 1.0 : nullModel.FalseMatchProbability(best.Score),
            candidates = result.Candidates.Select(m => MatchJson(m, nullModel)),
        });
    }

    private static object MatchJson(ProvenanceMatch m, NullModel nullModel) => new
    {
        org_id = m.OrgId,
        key_id = m.KeyId,
        request_id = m.RequestId,
        model = m.Model,
        served_at = m.ServedAt,
        score = Math.Round(m.Score, 4),
        matched_fraction = Math.Round(m.MatchedFraction, 4),
        false_match_probability = nullModel.FalseMatchProbability(m.Score),
    };

    /// <summary>Synchronous scan: answers with the result (the job stays readable, with its report, for a day).</summary>
    private static async Task<IResult> ScanAsync(HttpContext context, ProvenanceScanService scans, CaseService cases)
    {
        var (spool, caseId) = await ReadDatasetAsync(context, scans).ConfigureAwait(false);
        var job = scans.Start(spool, context.Request.Query["name"], AdminAuthFilter.ActorOf(context));
        try
        {
            await job.Finished.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            scans.Cancel(job.Id);
            throw;
        }
        if (job.Result is not { } result)
        {
            return new OpenAiError(StatusCodes.Status500InternalServerError, "scan_failed", "server_error", job.Error ?? "The scan failed.").AsResult();
        }
        if (caseId is not null)
        {
            await AttachToCaseAsync(job, caseId, context, cases).ConfigureAwait(false);
        }
        return TypedResults.Json(ScanJson.Result(result, job));
    }

    private static async Task<IResult> StartScanAsync(HttpContext context, ProvenanceScanService scans)
    {
        var (spool, _) = await ReadDatasetAsync(context, scans).ConfigureAwait(false);
        var job = scans.Start(spool, context.Request.Query["name"], AdminAuthFilter.ActorOf(context));
        return TypedResults.Json(ScanJson.Job(job), statusCode: StatusCodes.Status202Accepted);
    }

    private static IResult ListScans(ProvenanceScanService scans) =>
        TypedResults.Json(new { data = scans.List().Select(j => ScanJson.Job(j, withResult: false)) });

    private static IResult GetScan(string id, ProvenanceScanService scans) =>
        TypedResults.Json(ScanJson.Job(scans.Get(id) ?? throw AdminApiException.NotFound("scan", id)));

    private static IResult CancelScan(string id, ProvenanceScanService scans)
    {
        var job = scans.Get(id) ?? throw AdminApiException.NotFound("scan", id);
        if (!scans.Cancel(id)) throw AdminApiException.Conflict($"Scan '{id}' has already finished ({job.Status}).");
        return TypedResults.Json(ScanJson.Job(job, withResult: false));
    }

    private static IResult Report(string id, ProvenanceScanService scans, TimeProvider time)
    {
        var job = scans.Get(id) ?? throw AdminApiException.NotFound("scan", id);
        if (job.Result is not { } result) throw AdminApiException.Conflict($"Scan '{id}' has no result yet ({job.Status}).");
        return TypedResults.Content(ScanReport.Html(result, job.Name, job.Id, time.GetUtcNow()), "text/html; charset=utf-8");
    }

    private static async Task<IResult> AttachAsync(string id, HttpContext context, ProvenanceScanService scans, CaseService cases)
    {
        var job = scans.Get(id) ?? throw AdminApiException.NotFound("scan", id);
        using var body = await JsonBody.ReadDocumentAsync(context.Request).ConfigureAwait(false);
        if (!body.RootElement.TryGetProperty("case_id", out var caseElement) || caseElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(caseElement.GetString()))
        {
            throw AdminApiException.Invalid("'case_id' is required.", "case_id");
        }
        if (job.Result is null) throw AdminApiException.Conflict($"Scan '{id}' has no result yet ({job.Status}).");
        var investigation = await AttachToCaseAsync(job, caseElement.GetString()!, context, cases).ConfigureAwait(false);
        return TypedResults.Json(CaseResponse.From(investigation));
    }

    private static Task<Moat.Storage.Entities.CaseEntity> AttachToCaseAsync(ScanJob job, string caseId, HttpContext context, CaseService cases) =>
        ScanEvidence.AttachAsync(cases, job, caseId, AdminAuthFilter.ActorOf(context), context.RequestAborted);

    /// <summary>Reads the dataset (JSON body, an upload in the body, or one file of a multipart form) into a spool.</summary>
    private static async Task<(PassageSpool Spool, string? CaseId)> ReadDatasetAsync(HttpContext context, ProvenanceScanService scans)
    {
        var request = context.Request;
        var options = scans.Options;
        var format = PassageReader.FormatOf(request.ContentType, null);
        // A JSON body is parsed whole (≤ 10,000 passages): it gets a smaller ceiling than a streamed upload.
        var limit = PassageReader.MaxBytes(format, options);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        if (request.ContentLength > limit) throw new AdminApiException(OpenAiError.RequestTooLarge(limit));
        string? caseId = request.Query["case_id"];
        var column = (string?)request.Query["column"];
        try
        {
            var spool = MediaTypeHeaderValue.TryParse(request.ContentType, out var media) && media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
                ? await ReadMultipartAsync(request, media, options, column).ConfigureAwait(false)
                : await PassageReader.SpoolAsync(
                    request.Body,
                    format ?? throw AdminApiException.Invalid("Send application/json ({\"passages\": […]}), application/x-ndjson, text/csv, text/plain or a multipart/form-data file."),
                    options,
                    column,
                    context.RequestAborted).ConfigureAwait(false);
            return (spool, string.IsNullOrWhiteSpace(caseId) ? null : caseId);
        }
        catch (BadHttpRequestException unreadable)
        {
            throw new AdminApiException(RequestBodyErrors.From(unreadable, limit));
        }
    }

    /// <summary>The first file of a multipart form, its format read from its extension, else from its part's content type.</summary>
    private static async Task<PassageSpool> ReadMultipartAsync(HttpRequest request, MediaTypeHeaderValue media, ProvenanceScanOptions options, string? column)
    {
        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary)) throw AdminApiException.Invalid("The multipart body has no boundary.");
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
        while (await reader.ReadNextSectionAsync(request.HttpContext.RequestAborted).ConfigureAwait(false) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition()) continue;
            var fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value;
            var format = PassageReader.FormatOf(null, fileName)
                ?? PassageReader.FormatOf(section.ContentType, null)
                ?? throw AdminApiException.Invalid($"Cannot tell the format of '{fileName}': name it .jsonl, .csv, .txt or .json.");
            return await PassageReader.SpoolAsync(section.Body, format, options, column, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }

        throw AdminApiException.Invalid("The multipart body holds no file.");
    }
}
