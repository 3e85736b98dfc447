using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Moat.Core.Errors;

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

        // One slice per feature, each mapping its routes and holding its handlers and DTOs; the order is the
        // order of the OpenAPI document.
        admin.MapMoatApplicationsApi()
            .MapMoatOrganizationsApi()
            .MapMoatKeysApi()
            .MapMoatUsageApi()
            .MapMoatCasesApi()
            .MapMoatAllowListApi()
            .MapMoatAuditApi()
            .MapMoatRiskApi();

        // Unknown admin routes still need the token, and answer in the OpenAI shape.
        // Literal routes added to the group later take precedence over this catch-all.
        admin.Map("/{**rest}", (HttpContext http) => OpenAiError.NotFound(http.Request.Path).AsResult()).ExcludeFromDescription();
        return admin;
    }
}
