using System.Net.Http.Headers;
using Moat.Hostile.Tests.Infrastructure;
using Moat.Testing;

namespace Moat.Hostile.Tests;

/// <summary>Row 18: metrics and the API description are for the provider's staff, not the internet.</summary>
public sealed class OperatorEndpointTests(PlainHost plain) : IClassFixture<PlainHost>
{
    [Theory]
    [InlineData("/metrics")]
    [InlineData("/openapi/v1.json")]
    public async Task Row18_OperatorEndpoint_WithoutAdminToken_IsRefused(string path)
    {
        using var anonymous = plain.Host.Http();
        using var customer = plain.Host.Http(plain.Customer.Secret);

        var asAnonymous = await anonymous.GetAsync(path);
        var asCustomer = await customer.GetAsync(path);

        Assert.True((int)asAnonymous.StatusCode is 401 or 403 or 404, $"{path} without a token answered {(int)asAnonymous.StatusCode}");
        Assert.True((int)asCustomer.StatusCode is 401 or 403 or 404, $"{path} with a customer's API key answered {(int)asCustomer.StatusCode}");
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/openapi/v1.json")]
    public async Task Row18_OperatorEndpoint_WithAdminToken_Is200(string path)
    {
        using var admin = plain.Host.Http();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MoatTestHost.AdminToken);

        var response = await admin.GetAsync(path);

        Assert.Equal(200, (int)response.StatusCode);
    }
}
