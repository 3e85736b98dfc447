using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Moat.Functional.Tests.Infrastructure;
using Moat.Testing;

namespace Moat.Functional.Tests.Surfaces;

/// <summary>
/// Issue 9 row 18: /metrics and /openapi are not anonymous on the public listener. Without <c>Moat:Management:Urls</c> they
/// need the admin token; with it they are served only there. /healthz and /readyz stay anonymous.
/// </summary>
public sealed class ManagementSurfaceTests
{
    [Theory]
    [InlineData("/metrics")]
    [InlineData("/openapi/v1.json")]
    public async Task OperationalRoute_NoManagementListener_NeedsAdminToken(string path)
    {
        await using var host = await MoatTestHost.StartAsync();
        using var anonymous = host.Http();
        using var customer = host.Http((await host.CreateCustomerAsync()).Secret);
        using var admin = host.Http(MoatTestHost.AdminToken);

        using var refused = await anonymous.GetAsync(path);
        using var refusedKey = await customer.GetAsync(path);
        using var served = await admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("invalid_admin_token", Errors.AssertShape(await refused.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Unauthorized, refusedKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task HealthRoutes_Anonymous_ServedWithoutCheckDetails()
    {
        await using var host = await MoatTestHost.StartAsync();
        using var anonymous = host.Http();
        using var admin = host.Http(MoatTestHost.AdminToken);

        using var healthz = await anonymous.GetAsync("/healthz");
        using var readyz = await anonymous.GetAsync("/readyz");
        var detailed = await admin.GetStringAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readyz.StatusCode);
        Assert.DoesNotContain("checks", await readyz.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("storage", detailed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagementListener_Configured_OperationalRoutesOnlyThereAndCustomerRoutesNotThere()
    {
        var port = FreePort();
        await using var host = await MoatTestHost.StartAsync(b => b.Set("Moat:Management:Urls", $"http://127.0.0.1:{port}"));
        var publicUrl = host.Gateway.Urls.First(u => !u.EndsWith($":{port}", StringComparison.Ordinal));
        using var publicHttp = new HttpClient { BaseAddress = new Uri(publicUrl) };
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        publicHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MoatTestHost.AdminToken);

        using var metricsPublic = await publicHttp.GetAsync("/metrics");
        using var metricsManagement = await management.GetAsync("/metrics");
        using var openApiManagement = await management.GetAsync("/openapi/v1.json");
        using var readyManagement = await management.GetAsync("/readyz");
        using var healthPublic = await publicHttp.GetAsync("/healthz");
        using var modelsManagement = await management.GetAsync("/v1/models");
        using var portalManagement = await management.GetAsync("/portal/v1/terms");
        using var portalPublic = await publicHttp.GetAsync("/portal/v1/terms");

        Assert.Equal(HttpStatusCode.NotFound, metricsPublic.StatusCode); // even with the admin token
        Assert.Equal(HttpStatusCode.OK, metricsManagement.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openApiManagement.StatusCode);
        Assert.Contains("storage", await readyManagement.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, healthPublic.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, modelsManagement.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, portalManagement.StatusCode);
        Assert.Equal(HttpStatusCode.OK, portalPublic.StatusCode);
    }

    [Theory]
    [InlineData("http://127.0.0.1")]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("not a url")]
    public async Task Start_ManagementUrlWithoutExplicitPort_RefusedNamingTheSetting(string url)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => MoatTestHost.StartAsync(b => b.Set("Moat:Management:Urls", url)));

        Assert.Contains("Moat:Management:Urls", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ManagementPortSharedWithPublicUrl_RefusedNamingTheSetting()
    {
        var port = FreePort();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => MoatTestHost.StartAsync(b => b
            .Set("urls", $"http://127.0.0.1:{port}")
            .Set("Moat:Management:Urls", $"http://0.0.0.0:{port}")));

        Assert.Contains("Moat:Management:Urls must use a port of its own", failure.ToString(), StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
