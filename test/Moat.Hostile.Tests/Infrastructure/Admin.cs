using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Moat.Testing;

namespace Moat.Hostile.Tests.Infrastructure;

/// <summary>The provider's staff: the admin API with the admin token.</summary>
public sealed class AdminClient(MoatTestHost host) : IDisposable
{
    private readonly HttpClient _http = Create(host);

    private static HttpClient Create(MoatTestHost host)
    {
        var http = host.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MoatTestHost.AdminToken);
        return http;
    }

    public async Task<(int Status, string Body)> PostAsync(string path, object body)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(path, content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task SuspendAsync(string orgId, string reason = "investigating distillation")
    {
        var (status, body) = await PostAsync($"/admin/v1/organizations/{orgId}/suspend", new { reason });
        Assert.True(status == 200, $"suspend answered {status}: {body}");
    }

    public async Task ReinstateAsync(string orgId, string reason = "cleared")
    {
        var (status, body) = await PostAsync($"/admin/v1/organizations/{orgId}/reinstate", new { reason });
        Assert.True(status == 200, $"reinstate answered {status}: {body}");
    }

    public async Task RevokeKeyAsync(string orgId, string keyId, string reason = "leaked")
    {
        var (status, body) = await PostAsync($"/admin/v1/organizations/{orgId}/keys/{keyId}/revoke", new { reason });
        Assert.True(status == 200, $"revoke answered {status}: {body}");
    }

    public void Dispose() => _http.Dispose();
}
