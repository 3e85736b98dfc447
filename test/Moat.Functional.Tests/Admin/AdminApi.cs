using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Moat.Functional.Tests.Infrastructure;
using Moat.Testing;

namespace Moat.Functional.Tests.Admin;

/// <summary>An HTTP client of the admin and portal APIs that answers status and parsed JSON.</summary>
public sealed class AdminApi(MoatTestHost host, string? token = MoatTestHost.AdminToken) : IDisposable
{
    private readonly HttpClient _http = CreateClient(host, token);

    public static MoatTestHostBuilder Generous(MoatTestHostBuilder builder) =>
        builder.Set("Moat:Portal:ApplicationsPerMinute", 1000).Set("Moat:Portal:ApplicationsPerDay", 1000);

    public Task<ApiAnswer> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public Task<ApiAnswer> PostAsync(string path, object? body = null) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }) });

    public Task<ApiAnswer> PutAsync(string path, object body) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) });

    public Task<ApiAnswer> SendRawAsync(HttpMethod method, string path, string body) =>
        SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") });

    public Task<ApiAnswer> PostRawAsync(string path, string body) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") });

    /// <summary>Submits an application through the portal and returns its id.</summary>
    public async Task<string> ApplyAsync(ApplicationBuilder? application = null)
    {
        var answer = await PostAsync("/portal/v1/applications", (application ?? new ApplicationBuilder()).Build());
        answer.AssertStatus(HttpStatusCode.Created);
        Assert.Equal("pending", answer.Json.GetProperty("status").GetString());
        return answer.Json.GetProperty("id").GetString()!;
    }

    /// <summary>Applies, approves, and returns the new organisation's id.</summary>
    public async Task<string> OnboardAsync(string tier = "standard", ApplicationBuilder? application = null)
    {
        var id = await ApplyAsync(application);
        var approved = await PostAsync($"/admin/v1/applications/{id}/approve", new { tier, reason = "looks legitimate" });
        approved.AssertStatus(HttpStatusCode.OK);
        return approved.Json.GetProperty("org_id").GetString()!;
    }

    /// <summary>Creates a key and returns (id, secret).</summary>
    public async Task<(string Id, string Secret)> CreateKeyAsync(string orgId, string name = "production")
    {
        var created = await PostAsync($"/admin/v1/organizations/{orgId}/keys", new { name });
        created.AssertStatus(HttpStatusCode.Created);
        return (created.Json.GetProperty("id").GetString()!, created.Json.GetProperty("key").GetString()!);
    }

    public async Task<List<string>> AuditActionsAsync()
    {
        var answer = await GetAsync("/admin/v1/audit?limit=500");
        answer.AssertStatus(HttpStatusCode.OK);
        return answer.Json.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).Reverse().ToList();
    }

    public void Dispose() => _http.Dispose();

    private async Task<ApiAnswer> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            return new ApiAnswer(response.StatusCode, json, text, response.Headers);
        }
    }

    private static HttpClient CreateClient(MoatTestHost host, string? token)
    {
        var http = host.Http();
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        http.DefaultRequestHeaders.Add("X-Moat-Actor", "alice");
        return http;
    }
}

/// <summary>Status, JSON and headers of one answer.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, JsonElement Json, string Body, HttpResponseHeaders Headers)
{
    public ApiAnswer AssertStatus(HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"expected {(int)expected}, got {(int)Status}: {Body}");
        return this;
    }

    /// <summary>Asserts the OpenAI error shape with this status and code; returns the error's param.</summary>
    public string? AssertError(HttpStatusCode status, string code)
    {
        AssertStatus(status);
        Assert.Equal(code, Errors.AssertShape(Body));
        var param = Json.GetProperty("error").GetProperty("param");
        return param.ValueKind == JsonValueKind.String ? param.GetString() : null;
    }
}

/// <summary>A valid portal application, with one field changed at a time by the test.</summary>
public sealed class ApplicationBuilder
{
    private readonly Dictionary<string, object?> _fields = new()
    {
        ["organization_name"] = "Acme Support Ltd",
        ["contact_email"] = "ops@acme.example.com",
        ["intended_use"] = "A customer-support chatbot that answers questions about our products.",
        ["use_case_category"] = "chatbot",
        ["expected_monthly_tokens"] = 5_000_000,
        ["terms_version"] = "2026-01",
    };

    public ApplicationBuilder With(string field, object? value)
    {
        _fields[field] = value;
        return this;
    }

    public ApplicationBuilder Without(string field)
    {
        _fields.Remove(field);
        return this;
    }

    public Dictionary<string, object?> Build() => new(_fields);
}
