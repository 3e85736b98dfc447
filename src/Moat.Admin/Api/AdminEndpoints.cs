using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Moat.Admin.Access;
using Moat.Admin.Cases;
using Moat.Admin.Enforcement;
using Moat.Core.Access;
using Moat.Core.Errors;
using Moat.Core.Quotas;
using Moat.Storage;
using Moat.Storage.Entities;

namespace Moat.Admin.Api;

/// <summary>The staff-facing admin API under /admin/v1 (docs/admin-api-contract.md), behind the admin token.</summary>
public static class AdminEndpoints
{
    /// <summary>Maps the admin routes; returns the authenticated group so other components can add theirs (provenance, risk).</summary>
    public static RouteGroupBuilder MapMoatAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin/v1")
            .WithTags("Admin")
            .AddEndpointFilter<ApiErrorFilter>()
            .AddEndpointFilter<AdminAuthFilter>();

        admin.MapGet("/applications", ListApplicationsAsync);
        admin.MapGet("/applications/{id}", GetApplicationAsync);
        admin.MapPost("/applications/{id}/approve", ApproveAsync).Accepts<ApproveRequest>("application/json");
        admin.MapPost("/applications/{id}/reject", RejectAsync).Accepts<ReasonRequest>("application/json");

        admin.MapGet("/organizations", ListOrganizationsAsync);
        admin.MapGet("/organizations/{orgId}", GetOrganizationAsync);
        admin.MapPut("/organizations/{orgId}/limits", ChangeLimitsAsync).Accepts<LimitsRequest>("application/json");
        admin.MapPut("/organizations/{orgId}/tier", ChangeTierAsync).Accepts<TierRequest>("application/json");
        foreach (var action in Enum.GetValues<OrgAction>())
        {
            admin.MapPost($"/organizations/{{orgId}}/{action.ToWire()}",
                    (string orgId, HttpContext http, EnforcementService enforcement, IOptions<TierCatalogOptions> tiers) =>
                        EnforceAsync(orgId, action, http, enforcement, tiers))
                .Accepts<ReasonRequest>("application/json")
                .WithName("Organization" + action);
        }

        admin.MapPost("/organizations/{orgId}/keys", CreateKeyAsync).Accepts<CreateKeyRequest>("application/json");
        admin.MapGet("/organizations/{orgId}/keys", ListKeysAsync);
        admin.MapPost("/organizations/{orgId}/keys/{keyId}/rotate", RotateKeyAsync).Accepts<RotateKeyRequest>("application/json");
        admin.MapPost("/organizations/{orgId}/keys/{keyId}/revoke", RevokeKeyAsync).Accepts<ReasonRequest>("application/json");

        admin.MapGet("/usage", QueryUsageAsync);

        admin.MapGet("/cases", ListCasesAsync);
        admin.MapGet("/cases/{id}", GetCaseAsync);
        admin.MapPost("/cases/{id}/notes", AddNoteAsync).Accepts<NoteRequest>("application/json");
        admin.MapPost("/cases/{id}/resolve", ResolveCaseAsync).Accepts<ResolveCaseRequest>("application/json");

        admin.MapGet("/audit", ListAuditAsync);
        admin.MapGet("/audit/verify", VerifyAuditAsync);

        admin.MapMoatRiskApi();

        // Unknown admin routes still need the token, and answer in the OpenAI shape.
        // Literal routes added to the group later take precedence over this catch-all.
        admin.Map("/{**rest}", (HttpContext http) => OpenAiError.NotFound(http.Request.Path).AsResult()).ExcludeFromDescription();
        return admin;
    }

    // ── applications ──

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

    // ── organisations ──

    private static async Task<Ok<ListResponse<OrganizationResponse>>> ListOrganizationsAsync(
        HttpContext http, OrganizationStore organizations, EnforcementService enforcement, IOptions<TierCatalogOptions> tiers,
        string? state = null, string? cursor = null, string? limit = null)
    {
        OrgState? wanted = null;
        if (!string.IsNullOrEmpty(state))
        {
            wanted = OrgStateMachine.TryParseState(state, out var parsed)
                ? parsed
                : throw AdminApiException.Invalid("'state' must be one of pending, active, warned, throttled, suspended, terminated.", "state");
        }
        var page = await organizations.ListAsync(cursor, Paging.Limit(limit), wanted, http.RequestAborted).ConfigureAwait(false);
        var openCases = await enforcement.OpenCaseIdsAsync(page.Data.Select(o => o.Id).ToList(), http.RequestAborted).ConfigureAwait(false);
        var data = page.Data.Select(o => OrganizationResponse.From(o, tiers.Value, openCases.GetValueOrDefault(o.Id), RiskEndpoints.SummaryOf(http, o.Id))).ToList();
        return TypedResults.Ok(new ListResponse<OrganizationResponse>(data, page.NextCursor));
    }

    private static async Task<Ok<OrganizationResponse>> GetOrganizationAsync(
        string orgId, HttpContext http, OrganizationStore organizations, ApiKeyStore keys, UsageStore usage,
        EnforcementService enforcement, IOptions<TierCatalogOptions> tiers, TimeProvider time)
    {
        var organization = await organizations.FindAsync(orgId, http.RequestAborted).ConfigureAwait(false)
            ?? throw AdminApiException.NotFound("organization", orgId);
        var openCase = await enforcement.OpenCaseIdAsync(orgId, http.RequestAborted).ConfigureAwait(false);
        var orgKeys = await keys.ListAsync(orgId, http.RequestAborted).ConfigureAwait(false);
        var day = await usage.QueryAsync(new UsageQuery(OrgId: orgId, From: time.GetUtcNow().AddHours(-24)), http.RequestAborted).ConfigureAwait(false);
        var totals = day.Count > 0 ? day[0] : new UsageBucket(null, 0, 0, 0, 0);
        return TypedResults.Ok(OrganizationResponse.From(organization, tiers.Value, openCase, RiskEndpoints.SummaryOf(http, orgId)) with
        {
            Keys = orgKeys.Select(KeyResponse.From).ToList(),
            Usage = new UsageSummary(totals.Requests, totals.PromptTokens, totals.CompletionTokens, totals.Errors),
        });
    }

    private static async Task<Ok<OrganizationResponse>> EnforceAsync(
        string orgId, OrgAction action, HttpContext http, EnforcementService enforcement, IOptions<TierCatalogOptions> tiers)
    {
        var body = await JsonBody.ReadAsync<ReasonRequest>(http.Request).ConfigureAwait(false);
        var reason = AdminApiException.RequireReason(body.Reason);
        var result = await enforcement.ApplyAsync(orgId, action, reason, AdminAuthFilter.ActorOf(http), null, http.RequestAborted).ConfigureAwait(false);
        return result.Outcome switch
        {
            EnforcementOutcome.NotFound => throw AdminApiException.NotFound("organization", orgId),
            EnforcementOutcome.Illegal => throw new AdminApiException(AdminErrors.IllegalTransition(
                $"Cannot {action.ToWire()} organization '{orgId}': it is {result.From!.Value.ToWire()}" +
                (result.From == OrgState.Terminated ? ", and termination is final." : "."))),
            _ => TypedResults.Ok(OrganizationResponse.From(result.Organization!, tiers.Value, result.CaseId, RiskEndpoints.SummaryOf(http, orgId))),
        };
    }

    private static async Task<Ok<OrganizationResponse>> ChangeTierAsync(
        string orgId, HttpContext http, EnforcementService enforcement, IOptions<TierCatalogOptions> tiers)
    {
        var body = await JsonBody.ReadAsync<TierRequest>(http.Request).ConfigureAwait(false);
        var reason = AdminApiException.RequireReason(body.Reason);
        enforcement.RequireTier(body.Tier);
        var organization = await enforcement.ChangeTierAsync(orgId, body.Tier!.Trim(), reason, AdminAuthFilter.ActorOf(http), http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(OrganizationResponse.From(organization, tiers.Value, await enforcement.OpenCaseIdAsync(orgId, http.RequestAborted).ConfigureAwait(false), RiskEndpoints.SummaryOf(http, orgId)));
    }

    /// <summary>
    /// A member left out keeps the current override; null clears it (the tier's value applies again); a positive integer
    /// sets it; the string "unlimited" lifts it. Zero and negative numbers are refused: they once meant "unlimited"
    /// silently, which a typo could grant.
    /// </summary>
    private static async Task<Ok<OrganizationResponse>> ChangeLimitsAsync(
        string orgId, HttpContext http, OrganizationStore organizations, EnforcementService enforcement, IOptions<TierCatalogOptions> tiers)
    {
        using var body = await JsonBody.ReadDocumentAsync(http.Request).ConfigureAwait(false);
        var root = body.RootElement;
        var reason = AdminApiException.RequireReason(root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null);
        var current = await organizations.FindAsync(orgId, http.RequestAborted).ConfigureAwait(false)
            ?? throw AdminApiException.NotFound("organization", orgId);
        var given = 0;
        var requests = Limit(root, "requests_per_minute", current.RequestsPerMinute, ref given, int.MaxValue);
        var tokensPerMinute = Limit(root, "tokens_per_minute", current.TokensPerMinute, ref given, long.MaxValue);
        var tokensPerDay = Limit(root, "tokens_per_day", current.TokensPerDay, ref given, long.MaxValue);
        if (given == 0)
        {
            throw AdminApiException.Invalid("Give at least one of requests_per_minute, tokens_per_minute, tokens_per_day (null clears an override).", "requests_per_minute");
        }
        var overrides = new QuotaLimits(requests is null ? null : (int)requests.Value, tokensPerMinute, tokensPerDay);
        var organization = await enforcement.ChangeLimitsAsync(orgId, overrides, reason, AdminAuthFilter.ActorOf(http), http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(OrganizationResponse.From(organization, tiers.Value, await enforcement.OpenCaseIdAsync(orgId, http.RequestAborted).ConfigureAwait(false), RiskEndpoints.SummaryOf(http, orgId)));
    }

    private const string UnlimitedWire = "unlimited";

    private static long? Limit(JsonElement root, string name, long? current, ref int given, long max)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return current;
        }
        given++;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.String && value.ValueEquals(UnlimitedWire))
        {
            return QuotaLimits.Unlimited;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number is >= 1 && number <= max)
        {
            return number;
        }
        throw AdminApiException.Invalid(
            $"'{name}' must be a positive integer (at most {max}), \"{UnlimitedWire}\", or null to use the tier's limit.", name);
    }

    // ── keys ──

    private static async Task<Created<KeyResponse>> CreateKeyAsync(string orgId, HttpContext http, AccessService access)
    {
        var body = await JsonBody.ReadAsync<CreateKeyRequest>(http.Request).ConfigureAwait(false);
        var name = body.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            throw AdminApiException.Invalid("'name' is required (at most 200 characters).", "name");
        }
        AdminApiException.RequirePlainText(name, "name");
        var created = await access.CreateKeyAsync(orgId, name, AdminAuthFilter.ActorOf(http), http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Created($"/admin/v1/organizations/{orgId}/keys/{created.Key.Id}", KeyResponse.From(created.Key) with { Key = created.Secret });
    }

    private static async Task<Ok<ListResponse<KeyResponse>>> ListKeysAsync(string orgId, HttpContext http, AccessService access)
    {
        var keys = await access.ListKeysAsync(orgId, http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(new ListResponse<KeyResponse>(keys.Select(KeyResponse.From).ToList(), null));
    }

    private static async Task<Ok<KeyResponse>> RotateKeyAsync(string orgId, string keyId, HttpContext http, AccessService access)
    {
        var body = await JsonBody.ReadAsync<RotateKeyRequest>(http.Request).ConfigureAwait(false);
        var reason = AdminApiException.RequireReason(body.Reason);
        var created = await access.RotateKeyAsync(orgId, keyId, reason, body.GraceSeconds, AdminAuthFilter.ActorOf(http), http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(KeyResponse.From(created.Key) with { Key = created.Secret, Replaces = keyId });
    }

    private static async Task<Ok<KeyResponse>> RevokeKeyAsync(string orgId, string keyId, HttpContext http, AccessService access)
    {
        var body = await JsonBody.ReadAsync<ReasonRequest>(http.Request).ConfigureAwait(false);
        var reason = AdminApiException.RequireReason(body.Reason);
        var key = await access.RevokeKeyAsync(orgId, keyId, reason, AdminAuthFilter.ActorOf(http), http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(KeyResponse.From(key));
    }

    // ── usage ──

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
        var query = new UsageQuery(Blank(orgId), Blank(keyId), Blank(model), Instant(from, "from"), Instant(to, "to"), grouping);
        var buckets = await usage.QueryAsync(query, http.RequestAborted).ConfigureAwait(false);
        var rows = buckets
            .Select(b => new UsageRow(b.Start, query.OrgId, query.KeyId, query.Model, b.Requests, b.PromptTokens, b.CompletionTokens, b.Errors))
            .ToList();
        return TypedResults.Ok(new ListResponse<UsageRow>(rows, null));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

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

    // ── cases ──

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
        var page = await cases.ListAsync(wanted, Blank(orgId), cursor, Paging.Limit(limit), http.RequestAborted).ConfigureAwait(false);
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
        var reason = AdminApiException.RequireReason(body.Reason);
        var requiredChanges = string.IsNullOrWhiteSpace(body.RequiredChanges) ? null : body.RequiredChanges.Trim();
        var investigation = await cases.ResolveAsync(id, resolution, reason, requiredChanges, AdminAuthFilter.ActorOf(http), http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(CaseResponse.From(investigation));
    }

    // ── audit ──

    private static async Task<Ok<ListResponse<AuditEntryResponse>>> ListAuditAsync(
        HttpContext http, AuditLog audit, string? cursor = null, string? limit = null, string? action = null, string? subject = null)
    {
        Page<AuditEntryEntity> page;
        try
        {
            page = await audit.ListAsync(Blank(cursor), Paging.Limit(limit), new AuditQuery(Action: Blank(action), Subject: Blank(subject)), http.RequestAborted).ConfigureAwait(false);
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
