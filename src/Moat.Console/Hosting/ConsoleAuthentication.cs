using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;

namespace Moat.WebConsole.Hosting;

/// <summary>The console's sign-in: the admin token, exchanged once for an HttpOnly, SameSite=Strict session cookie.</summary>
public static class ConsoleAuthentication
{
    public const string Scheme = "MoatConsole";
    public const string Policy = "MoatConsole";
    public const string CookieName = "moat_console";
    public const string BasePath = "/console";

    private const int MaxNameLength = 60;

    /// <summary>The audit actor of a console operator: "console:&lt;name&gt;", or "console" when no name was given.</summary>
    public static string ActorFor(string? typedName)
    {
        var name = new string((typedName ?? "").Trim().Where(c => !char.IsControl(c)).Take(MaxNameLength).ToArray()).Trim();
        return name.Length == 0 ? "console" : "console:" + name;
    }

    /// <summary>The actor of a signed-in principal.</summary>
    public static string ActorOf(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "console";

    internal static ClaimsPrincipal Principal(string actor) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, actor)], Scheme));

    /// <summary>Sets <see cref="HttpContext.User"/> from the console cookie on console requests (pages and the Blazor circuit).</summary>
    internal static async Task AuthenticateConsoleAsync(HttpContext context, Func<Task> next)
    {
        var result = await context.AuthenticateAsync(Scheme).ConfigureAwait(false);
        if (result.Succeeded)
        {
            context.User = result.Principal;
        }
        await next().ConfigureAwait(false);
    }

    internal static void ConfigureCookie(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Cookie.Path = BasePath;
        options.Cookie.IsEssential = true;
        // Relative to the console's branch: the handler puts the path base (/console) in front.
        options.LoginPath = "/signin";
        options.LogoutPath = "/account/signout";
        options.AccessDeniedPath = "/signin";
        options.ReturnUrlParameter = "returnUrl";
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = true;
    }
}
