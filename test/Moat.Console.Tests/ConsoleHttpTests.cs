using System.Net;
using Moat.WebConsole.Tests.Infrastructure;

namespace Moat.WebConsole.Tests;

/// <summary>The console's mount without a browser: it guards its pages, serves its assets, and leaves other routes alone.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleHttpTests(ConsoleFixture fixture)
{
    [Theory]
    [InlineData("/console")]
    [InlineData("/console/orgs")]
    [InlineData("/console/audit")]
    public async Task Page_WithoutSession_RedirectsToSignIn(string path)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Host.BaseUri };

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console/signin", response.Headers.Location!.AbsolutePath);
        Assert.Contains("returnUrl=" + Uri.EscapeDataString(path), response.Headers.Location.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanReport_WithoutSession_RedirectsToSignInEvenWithTheAdminToken()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Host.BaseUri };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ConsoleTestHost.AdminToken);

        using var response = await http.GetAsync("/console/provenance/scans/scan_0123/report");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console/signin", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task SignInPage_IsServedWithoutSessionAndNotCached()
    {
        using var http = fixture.Host.Http();

        using var response = await http.GetAsync("/console/signin");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("name=\"token\"", html, StringComparison.Ordinal);
        Assert.Contains("__RequestVerificationToken", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("blazor.web.js", "text/javascript")]
    [InlineData("mudblazor.js", "text/javascript")]
    [InlineData("mudblazor.css", "text/css")]
    [InlineData("console.css", "text/css")]
    public async Task Asset_IsServedFromTheConsole(string name, string contentType)
    {
        using var http = fixture.Host.Http();

        using var response = await http.GetAsync($"/console/_assets/{name}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100);
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task SignInPost_WithoutAntiforgeryToken_IsRefused()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Host.BaseUri };

        using var response = await http.PostAsync("/console/account/signin",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = ConsoleTestHost.AdminToken }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie");
    }

    [Theory]
    [InlineData("/healthz", HttpStatusCode.OK)]
    [InlineData("/portal/v1/terms", HttpStatusCode.OK)]
    [InlineData("/admin/v1/organizations", HttpStatusCode.Unauthorized)]
    [InlineData("/v1/models", HttpStatusCode.Unauthorized)]
    public async Task OtherRoutes_AreUntouchedByTheConsole(string path, HttpStatusCode expected)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Host.BaseUri };

        using var response = await http.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie");
    }

    [Theory]
    [InlineData(null, "/console/")]
    [InlineData("/console/orgs/org_1", "/console/orgs/org_1")]
    [InlineData("/console", "/console")]
    [InlineData("https://evil.example/console/", "/console/")]
    [InlineData("//evil.example/console/", "/console/")]
    [InlineData("/console//evil.example", "/console/")]
    [InlineData("/admin/v1/organizations", "/console/")]
    [InlineData("/console/signin?x=1", "/console/")]
    public void SafeReturnUrl_OnlyFollowsPathsInsideTheConsole(string? given, string expected) =>
        Assert.Equal(expected, Hosting.ConsoleHostingExtensions.SafeReturnUrl(given));

    [Theory]
    [InlineData(null, "console")]
    [InlineData("  ", "console")]
    [InlineData("alex", "console:alex")]
    [InlineData(" Sam Lee ", "console:Sam Lee")]
    [InlineData("evil\r\nname", "console:evilname")]
    public void ActorFor_NamesTheOperator(string? typed, string expected) =>
        Assert.Equal(expected, Hosting.ConsoleAuthentication.ActorFor(typed));
}
