using System.Net;
using System.Net.Http.Json;
using Moat.Functional.Tests.Infrastructure;
using Moat.Testing;

namespace Moat.Functional.Tests.Detection;

/// <summary><c>Moat:Gateway:TrustForwardedFor</c>: the client address detection and the ledger see.</summary>
public sealed class ForwardedForTests
{
    [Theory]
    [InlineData(true, "203.0.113.9")]
    [InlineData(false, "127.0.0.1")]
    public async Task ClientAddress_ForwardedForHeader_TrustedOnlyWhenEnabled(bool trusted, string expected)
    {
        await using var host = await MoatTestHost.StartAsync(b => b.Set("Moat:Gateway:TrustForwardedFor", trusted));
        var customer = await host.CreateCustomerAsync();
        using var http = host.Http(customer.Secret);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = MoatTestHost.Model, messages = new[] { new { role = "user", content = "hi" } } }),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "198.51.100.1, 203.0.113.9");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = Assert.Single(await host.LedgerAsync(customer.OrgId));
        Assert.Equal(expected, record.ClientIp);
    }
}
