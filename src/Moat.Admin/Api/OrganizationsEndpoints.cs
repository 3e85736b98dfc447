using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Moat.Admin.Enforcement;
using Moat.Core.Access;
using Moat.Core.Quotas;
using Moat.Storage;
using Moat.Storage.Entities;

namespace Moat.Admin.Api;

/// <summary>Organisations under /admin/v1/organizations: list, read, limits and tier overrides, and the state actions (warn … terminate).</summary>
internal static class OrganizationsEndpoints
{
    public static RouteGroupBuilder MapMoatOrganizationsApi(this RouteGroupBuilder admin)
    {
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
        return admin;
    }

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
    /// A member left out keeps the current override; a positive integer sets it; an explicit null (or the word
    /// "unlimited") lifts it — no limit; the word "tier" clears the override so the tier's value applies again. Zero and
    /// negative numbers are refused: they once meant "unlimited" silently, which a typo could grant.
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
            throw AdminApiException.Invalid("Give at least one of requests_per_minute, tokens_per_minute, tokens_per_day (a positive integer, null for unlimited, or \"tier\").", "requests_per_minute");
        }
        var overrides = new QuotaLimits(requests is null ? null : (int)requests.Value, tokensPerMinute, tokensPerDay);
        var organization = await enforcement.ChangeLimitsAsync(orgId, overrides, reason, AdminAuthFilter.ActorOf(http), http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(OrganizationResponse.From(organization, tiers.Value, await enforcement.OpenCaseIdAsync(orgId, http.RequestAborted).ConfigureAwait(false), RiskEndpoints.SummaryOf(http, orgId)));
    }

    private const string UnlimitedWire = "unlimited";
    private const string TierWire = "tier";

    private static long? Limit(JsonElement root, string name, long? current, ref int given, long max)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return current;
        }
        given++;
        if (value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.String && value.ValueEquals(UnlimitedWire)))
        {
            return QuotaLimits.Unlimited;
        }
        if (value.ValueKind == JsonValueKind.String && value.ValueEquals(TierWire))
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number is >= 1 && number <= max)
        {
            return number;
        }
        throw AdminApiException.Invalid(
            $"'{name}' must be a positive integer (at most {max}), null (or \"{UnlimitedWire}\") for no limit, or \"{TierWire}\" for the tier's limit.", name);
    }
}

public sealed record OrganizationResponse(
    string Id,
    string Name,
    string State,
    string Tier,
    LimitsResponse Limits,
    LimitsResponse Overrides,
    string? UseCaseCategory,
    string? ContactEmail,
    bool AllowBenchmarks,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? OpenCaseId,
    RiskSummary? Risk)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<KeyResponse>? Keys { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public UsageSummary? Usage { get; init; }

    public static OrganizationResponse From(OrganizationEntity org, TierCatalogOptions tiers, string? openCaseId, RiskSummary? risk = null)
    {
        var overrides = new QuotaLimits(org.RequestsPerMinute, org.TokensPerMinute, org.TokensPerDay);
        var effective = tiers.Find(org.Tier) is { } tier ? overrides.Over(tier.Limits) : overrides;
        return new OrganizationResponse(
            org.Id, org.Name, org.State.ToWire(), org.Tier, LimitsResponse.From(effective), LimitsResponse.From(overrides),
            org.UseCaseCategory, org.ContactEmail, org.AllowBenchmarks, org.CreatedAt, org.UpdatedAt, openCaseId, risk);
    }
}

public sealed record LimitsResponse(int? RequestsPerMinute, long? TokensPerMinute, long? TokensPerDay)
{
    public static LimitsResponse From(QuotaLimits limits) => new(limits.RequestsPerMinute, limits.TokensPerMinute, limits.TokensPerDay);
}

public sealed record RiskSummary(double Score, string Level);

public sealed record UsageSummary(
    [property: JsonPropertyName("requests_24h")] long Requests24h,
    [property: JsonPropertyName("prompt_tokens_24h")] long PromptTokens24h,
    [property: JsonPropertyName("completion_tokens_24h")] long CompletionTokens24h,
    [property: JsonPropertyName("errors_24h")] long Errors24h);

public sealed record TierRequest(string? Tier, string? Reason);

public sealed record LimitsRequest(int? RequestsPerMinute, long? TokensPerMinute, long? TokensPerDay, string? Reason);
