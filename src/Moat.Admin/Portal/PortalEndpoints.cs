using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Admin.Access;
using Moat.Admin.Api;
using Moat.Admin.Hosting;
using Moat.Core.Errors;

namespace Moat.Admin.Portal;

/// <summary>The applicant-facing portal API under /portal/v1: terms, applying, and an application's status. No key needed.</summary>
public static class PortalEndpoints
{
    public static IEndpointRouteBuilder MapMoatPortalApi(this IEndpointRouteBuilder endpoints)
    {
        var portal = endpoints.MapGroup("/portal/v1").WithTags("Portal").AddEndpointFilter<ApiErrorFilter>();
        portal.MapGet("/terms", GetTerms);
        portal.MapPost("/applications", SubmitAsync)
            .Accepts<SubmitApplicationRequest>("application/json");
        portal.MapGet("/applications/{id}", GetStatusAsync);
        portal.Map("/{**rest}", (HttpContext http) => OpenAiError.NotFound(http.Request.Path).AsResult()).ExcludeFromDescription();
        return endpoints;
    }

    private static Ok<TermsResponse> GetTerms(IOptions<TermsOptions> terms) =>
        TypedResults.Ok(new TermsResponse(terms.Value.Version, terms.Value.Text));

    private static async Task<Created<ApplicationReceipt>> SubmitAsync(
        HttpContext http,
        PortalRateLimiter limiter,
        AccessService access,
        IOptions<TermsOptions> terms,
        ILoggerFactory loggers)
    {
        var clientIp = http.Connection.RemoteIpAddress?.ToString();
        if (limiter.TryAcquire(clientIp ?? "unknown") is { } retryAfter)
        {
            AdminLog.PortalRateLimited(loggers.CreateLogger(typeof(PortalEndpoints)), clientIp);
            throw new AdminApiException(OpenAiError.RateLimited("Too many applications from this address; try again later."), retryAfter);
        }
        var request = await JsonBody.ReadAsync<SubmitApplicationRequest>(http.Request).ConfigureAwait(false);
        var valid = ApplicationValidator.Validate(request, terms.Value.Version);
        var application = await access.SubmitAsync(valid, clientIp, http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Created($"/portal/v1/applications/{application.Id}", new ApplicationReceipt(application.Id, "pending"));
    }

    private static async Task<Ok<ApplicationStatusResponse>> GetStatusAsync(string id, AccessService access, HttpContext http)
    {
        var application = await access.GetApplicationAsync(id, http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(new ApplicationStatusResponse(application.Id, ApplicationResponse.Wire(application.Status), application.OrgId));
    }
}
