using System.Text.Json;
using System.Text.Json.Serialization;
using Moat.Core.Access;
using Moat.Core.Quotas;
using Moat.Storage;
using Moat.Storage.Entities;

namespace Moat.Admin.Api;

/// <summary>A list page: <c>{data, next_cursor}</c>.</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Data, string? NextCursor);

public sealed record TermsResponse(string Version, string Text);

public sealed record ApplicationReceipt(string Id, string Status);

public sealed record ApplicationStatusResponse(string Id, string Status, string? OrgId);

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

public sealed record KeyResponse(
    string Id,
    string OrgId,
    string Name,
    string Prefix,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? ExpiresAt)
{
    /// <summary>The secret; present only in the answer to create and rotate.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Key { get; init; }

    /// <summary>On rotate: the id of the key this one replaces.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Replaces { get; init; }

    public static KeyResponse From(ApiKeyEntity k) => new(k.Id, k.OrgId, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt, k.ExpiresAt);

    // The secret must not reach logs through the record's generated ToString.
    public override string ToString() => $"KeyResponse {{ Id = {Id}, Prefix = {Prefix} }}";
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

public sealed record CaseEventResponse(long Id, DateTimeOffset At, string Actor, string Kind, string Text, JsonElement? Payload)
{
    public static CaseEventResponse From(CaseEventEntity e) =>
        new(e.Id, e.At, e.Actor, e.Kind.ToString().ToLowerInvariant(), e.Text, AdminJson.Element(e.PayloadJson));
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

public sealed record AuditEntryResponse(long Seq, DateTimeOffset At, string Actor, string Action, string Subject, JsonElement? Payload, string PrevHash, string Hash)
{
    public static AuditEntryResponse From(AuditEntryEntity e) =>
        new(e.Seq, e.At, e.Actor, e.Action, e.Subject, AdminJson.Element(e.PayloadJson), e.PrevHash, e.Hash);
}

public sealed record AuditVerifyResponse(bool Valid, long Entries, long? FirstBrokenSeq)
{
    public static AuditVerifyResponse From(AuditVerification v) => new(v.Valid, v.Entries, v.FirstBrokenSeq);
}

// Request bodies: every member optional so that a missing field is a clear 400 naming it, not a binding failure.

public sealed record SubmitApplicationRequest(
    string? OrganizationName,
    string? ContactEmail,
    string? IntendedUse,
    string? UseCaseCategory,
    long? ExpectedMonthlyTokens,
    string? TermsVersion);

public sealed record ApproveRequest(string? Tier, string? Reason);

public sealed record ReasonRequest(string? Reason);

public sealed record TierRequest(string? Tier, string? Reason);

public sealed record LimitsRequest(int? RequestsPerMinute, long? TokensPerMinute, long? TokensPerDay, string? Reason);

public sealed record CreateKeyRequest(string? Name);

public sealed record RotateKeyRequest(string? Reason, int? GraceSeconds);

public sealed record NoteRequest(string? Text);

public sealed record ResolveCaseRequest(string? Resolution, string? Reason, string? RequiredChanges);
