using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Moat.Functional.Tests.Admin;
using Moat.Testing;

namespace Moat.Functional.Tests.Surfaces;

/// <summary>
/// X-Forwarded-For / X-Forwarded-Proto are believed only from the proxies in <c>Moat:ForwardedHeaders</c>: the ledger, the
/// portal's per-address limit and the console cookie's Secure flag follow the real client, and nobody else can forge it.
/// </summary>
public sealed partial class ForwardedHeadersTests
{
    [Theory]
    [InlineData("Moat:ForwardedHeaders:KnownProxies:0", "127.0.0.1", "203.0.113.9")]
    [InlineData("Moat:ForwardedHeaders:KnownNetworks:0", "127.0.0.0/8", "203.0.113.9")]
    [InlineData("Moat:ForwardedHeaders:KnownProxies:0", "10.9.8.7", "127.0.0.1")] // the peer is not that proxy
    [InlineData("Moat:Storage:Provider", "Sqlite", "127.0.0.1")]                 // nothing trusted by default
    public async Task LedgerClientIp_ForwardedFor_TrustedOnlyFromKnownProxies(string setting, string value, string expected)
    {
        await using var host = await MoatTestHost.StartAsync(b => b.Set(setting, value));
        var customer = await host.CreateCustomerAsync();
        using var http = host.Http(customer.Secret);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = MoatTestHost.Model, messages = new[] { new { role = "user", content = "hi" } } }),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "198.51.100.1, 203.0.113.9");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, Assert.Single(await host.LedgerAsync(customer.OrgId)).ClientIp);
    }

    [Fact]
    public async Task PortalPerAddressLimit_BehindTrustedProxy_CountsEachClientSeparately()
    {
        await using var host = await MoatTestHost.StartAsync(b => b
            .Set("Moat:ForwardedHeaders:KnownProxies:0", "127.0.0.1")
            .Set("Moat:Portal:ApplicationsPerMinute", 1));
        using var http = host.Http();

        var first = await ApplyFromAsync(http, "198.51.100.1");
        var second = await ApplyFromAsync(http, "198.51.100.2");
        var again = await ApplyFromAsync(http, "198.51.100.1");

        Assert.Equal(HttpStatusCode.Created, first);
        Assert.Equal(HttpStatusCode.Created, second);
        Assert.Equal(HttpStatusCode.TooManyRequests, again);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task ConsoleSessionCookie_ForwardedProtoHttps_SecureOnlyFromTrustedProxy(bool trusted, bool expectSecure)
    {
        await using var host = await MoatTestHost.StartAsync(b => b.Set("Moat:ForwardedHeaders:KnownProxies:0", trusted ? "127.0.0.1" : "10.9.8.7"));
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies, UseCookies = true }) { BaseAddress = host.BaseUri };
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        http.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        var page = await http.GetStringAsync("/console/signin");
        var antiforgery = AntiforgeryField().Match(page);
        Assert.True(antiforgery.Success, "no antiforgery field on the sign-in page");
        // The antiforgery cookie came back over what the server believes is https; send it back over plain http too.
        foreach (Cookie cookie in cookies.GetAllCookies())
        {
            cookie.Secure = false;
        }

        using var response = await http.PostAsync("/console/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = MoatTestHost.AdminToken,
            ["name"] = "alice",
            [antiforgery.Groups["name"].Value] = WebUtility.HtmlDecode(antiforgery.Groups["value"].Value),
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var session = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("moat_console=", StringComparison.Ordinal));
        Assert.Equal(expectSecure, session.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<HttpStatusCode> ApplyFromAsync(HttpClient http, string clientIp)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/portal/v1/applications") { Content = JsonContent.Create(new ApplicationBuilder().Build()) };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", clientIp);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [GeneratedRegex("name=\"(?<name>__RequestVerificationToken)\"[^>]*value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
