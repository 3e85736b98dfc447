using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Admin.Hosting;
using Moat.Admin.Provenance;
using Moat.Admin.SignIn;
using Moat.Core.Access;
using Moat.WebConsole.Components;
using Moat.WebConsole.Data;
using Moat.Storage;
using MudBlazor.Services;

namespace Moat.WebConsole.Hosting;

/// <summary>The trust &amp; safety web console at /console: Blazor (interactive server) over the admin services.</summary>
public static class ConsoleHostingExtensions
{
    public const string SignInAction = "console.sign_in";

    // Set by UseAuthentication; WebApplication adds authentication to every request when it is absent.
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    public static IServiceCollection AddMoatConsole(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        // Session cookies, antiforgery tokens and circuits are protected with keys held in memory only: nothing secret
        // is written to disk, and a restart signs operators out. (Circuits need sticky sessions across replicas anyway.)
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.AddAuthentication().AddCookie(ConsoleAuthentication.Scheme, ConsoleAuthentication.ConfigureCookie);
        services.AddAuthorizationBuilder().AddPolicy(ConsoleAuthentication.Policy, policy => policy
            .AddAuthenticationSchemes(ConsoleAuthentication.Scheme)
            .RequireAuthenticatedUser());
        services.TryAddSingleton<ConsoleAssets>();
        services.TryAddSingleton<ConsoleQueries>();
        services.TryAddSingleton<ConsoleRisk>();
        return services;
    }

    /// <summary>
    /// Mounts the console at /console as a branch of its own (routing, session cookie, antiforgery, endpoints), so
    /// nothing outside /console is touched and no other request pays for it.
    /// </summary>
    public static WebApplication MapMoatConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // WebApplication adds authentication to every request unless the app did; only console requests read the cookie.
        ((IApplicationBuilder)app).Properties[AuthenticationMiddlewareSetKey] = true;
        app.Map(ConsoleAuthentication.BasePath, console =>
        {
            console.UseRouting();
            console.Use(async (context, next) =>
            {
                if (!context.Request.Path.StartsWithSegments("/_assets", StringComparison.Ordinal))
                {
                    context.Response.Headers.CacheControl = "no-cache, no-store";
                }
                await ConsoleAuthentication.AuthenticateConsoleAsync(context, () => next(context)).ConfigureAwait(false);
            });
            console.UseAuthorization();
            console.UseAntiforgery();
            console.UseEndpoints(endpoints =>
            {
                endpoints.MapGet("/_assets/{name}", (string name, ConsoleAssets assets) => assets.Serve(name)).AllowAnonymous();
                endpoints.MapPost("/account/signin", SignInAsync).AllowAnonymous();
                endpoints.MapPost("/account/signout", (Delegate)SignOutAsync).RequireAuthorization(ConsoleAuthentication.Policy);
                endpoints.MapGet("/provenance/scans/{id}/report", ScanReportPage).RequireAuthorization(ConsoleAuthentication.Policy);
                endpoints.MapRazorComponents<App>().AddInteractiveServerRenderMode();
            });
        });
        return app;
    }

    private static async Task<IResult> SignInAsync(
        HttpContext http,
        AdminTokenStore tokens,
        AuditLog audit,
        SignInThrottle throttle,
        ILoggerFactory loggers,
        [FromForm(Name = "token")] string? token,
        [FromForm(Name = "name")] string? name,
        [FromForm(Name = "returnUrl")] string? returnUrl)
    {
        var logger = loggers.CreateLogger(typeof(ConsoleHostingExtensions).FullName!);
        var clientIp = ClientAddress.Of(http);
        // Failed sign-ins share the admin API's per-address back-off, and are audited in summaries, not one by one.
        if (throttle.RetryAfter(clientIp) is { } wait)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Text($"Too many failed sign-ins from this address. Try again in {seconds} seconds.", statusCode: StatusCodes.Status429TooManyRequests);
        }
        var presented = token?.Trim() ?? "";
        var why = presented.Length == 0 ? "missing admin token"
            : presented.StartsWith(ApiKeySecret.Prefix, StringComparison.Ordinal) ? "an API key is not an admin token"
            : await tokens.VerifyAsync(presented, http.RequestAborted).ConfigureAwait(false) ? null
            : "invalid admin token";
        if (why is not null)
        {
            ConsoleLog.SignInRejected(logger, clientIp, why);
            throttle.Failed(clientIp, SignInSurface.Console, why);
            var back = SafeReturnUrl(returnUrl);
            return TypedResults.Redirect($"{ConsoleAuthentication.BasePath}/signin?error=1&returnUrl={Uri.EscapeDataString(back)}");
        }
        throttle.Succeeded(clientIp);

        var actor = ConsoleAuthentication.ActorFor(name);
        await http.SignInAsync(ConsoleAuthentication.Scheme, ConsoleAuthentication.Principal(actor)).ConfigureAwait(false);
        await audit.AppendAsync(actor, SignInAction, "console", new { client_ip = clientIp }, CancellationToken.None).ConfigureAwait(false);
        ConsoleLog.SignedIn(logger, actor, clientIp);
        return TypedResults.Redirect(SafeReturnUrl(returnUrl));
    }

    /// <summary>A dataset scan's HTML report for the page's "Download report" (the admin API's route wants the admin token).</summary>
    private static IResult ScanReportPage(string id, ProvenanceScanService scans, TimeProvider time)
    {
        if (scans.Get(id) is not { Result: { } result } job)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Content(ScanReport.Html(result, job.Name, job.Id, time.GetUtcNow()), "text/html; charset=utf-8");
    }

    private static async Task<IResult> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(ConsoleAuthentication.Scheme).ConfigureAwait(false);
        return TypedResults.Redirect(ConsoleAuthentication.BasePath + "/signin");
    }

    /// <summary>Only a path inside the console is followed after sign-in; anything else goes to the overview.</summary>
    internal static string SafeReturnUrl(string? returnUrl)
    {
        var home = ConsoleAuthentication.BasePath + "/";
        if (string.IsNullOrEmpty(returnUrl)
            || !(returnUrl == ConsoleAuthentication.BasePath || returnUrl.StartsWith(home, StringComparison.Ordinal))
            || returnUrl.Contains("//", StringComparison.Ordinal)
            || returnUrl.Contains('\\', StringComparison.Ordinal)
            || returnUrl.StartsWith(home + "signin", StringComparison.Ordinal)
            || returnUrl.Any(char.IsControl))
        {
            return home;
        }
        return returnUrl;
    }
}
