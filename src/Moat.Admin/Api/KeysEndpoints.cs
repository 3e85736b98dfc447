using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Moat.Admin.Access;
using Moat.Storage.Entities;

namespace Moat.Admin.Api;

/// <summary>An organisation's API keys under /admin/v1/organizations/{orgId}/keys: create, list, rotate, revoke.</summary>
internal static class KeysEndpoints
{
    public static RouteGroupBuilder MapMoatKeysApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/organizations/{orgId}/keys", CreateKeyAsync).Accepts<CreateKeyRequest>("application/json");
        admin.MapGet("/organizations/{orgId}/keys", ListKeysAsync);
        admin.MapPost("/organizations/{orgId}/keys/{keyId}/rotate", RotateKeyAsync).Accepts<RotateKeyRequest>("application/json");
        admin.MapPost("/organizations/{orgId}/keys/{keyId}/revoke", RevokeKeyAsync).Accepts<ReasonRequest>("application/json");
        return admin;
    }

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

public sealed record CreateKeyRequest(string? Name);

public sealed record RotateKeyRequest(string? Reason, int? GraceSeconds);
