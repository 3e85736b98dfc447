using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moat.Admin.Enforcement;
using Moat.Provenance.Hosting;
using Moat.Testing;
using OpenAI.Chat;

namespace Moat.Functional.Tests;

/// <summary>
/// Dataset attribution through the real host: outputs served to one customer through the gateway leak as a dataset
/// (lightly edited, mixed with text nobody was served) and the scan names that customer, in every upload format.
/// </summary>
public sealed class ProvenanceScanTests : IAsyncLifetime
{
    private MoatTestHost _host = null!;
    private Customer _alpha = null!;
    private Customer _beta = null!;
    private readonly List<string> _alphaOutputs = [];
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await MoatTestHost.StartAsync();
        _alpha = await _host.CreateCustomerAsync(name: "Alpha");
        _beta = await _host.CreateCustomerAsync(name: "Beta");
        var alphaChat = _host.OpenAi(_alpha.Secret).GetChatClient(MoatTestHost.Model);
        var betaChat = _host.OpenAi(_beta.Secret).GetChatClient(MoatTestHost.Model);
        for (var i = 0; i < 30; i++)
        {
            var reply = await alphaChat.CompleteChatAsync([new UserChatMessage($"Write a detailed note about topic number {i} for the archive.")]);
            _alphaOutputs.Add(reply.Value.Content[0].Text);
            await betaChat.CompleteChatAsync([new UserChatMessage($"Describe the procedure called {i * 7 + 3} in plain words.")]);
        }

        await _host.Services.GetRequiredService<ProvenanceIngestor>().WhenIdleAsync();
        _admin = _host.Http();
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MoatTestHost.AdminToken);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
    }

    /// <summary>Alpha's outputs with a few words changed, interleaved with never-served prose.</summary>
    private List<string> Leak(int count)
    {
        var passages = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var words = _alphaOutputs[i].Split(' ');
            for (var w = 3; w < words.Length; w += 9) words[w] = "[redacted]";
            passages.Add(string.Join(' ', words));
            passages.Add(NeverServed(i));
        }

        return passages;
    }

    private static string NeverServed(int i) =>
        $"Minutes of meeting {i}: the committee reviewed the parking allocation near the library, discussed bicycles, " +
        $"delivery vans and visitors with reduced mobility, and agreed to revisit the arrangement after the works on wing {i}.";

    [Fact]
    public async Task JsonPassages_LeakOfOneCustomer_AttributedWithTinyPValue()
    {
        var response = await _admin.PostAsJsonAsync("/admin/v1/provenance/scan", new { passages = Leak(20) });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var result = JsonDocument.Parse(body).RootElement;

        Assert.Equal("attributed", result.GetProperty("verdict").GetString());
        Assert.Equal(40, result.GetProperty("passages").GetInt64());
        Assert.True(result.GetProperty("attributed_passages").GetInt64() >= 18);
        var top = result.GetProperty("accounts")[0];
        Assert.Equal(_alpha.OrgId, top.GetProperty("org_id").GetString());
        Assert.True(top.GetProperty("p_value").GetDouble() <= 1e-6, body);
        Assert.True(top.GetProperty("expected_by_chance").GetDouble() < 1);
        Assert.Equal([_alpha.KeyId], top.GetProperty("key_ids").EnumerateArray().Select(k => k.GetString()));
        Assert.True(top.GetProperty("first_served_at").GetDateTimeOffset() <= top.GetProperty("last_served_at").GetDateTimeOffset());
        var example = top.GetProperty("examples")[0];
        Assert.Equal(0, example.GetProperty("passage_index").GetInt64() % 2);
        Assert.StartsWith("req_", example.GetProperty("request_id").GetString());
        Assert.True(example.GetProperty("score").GetDouble() > 0);
        foreach (var account in result.GetProperty("accounts").EnumerateArray())
        {
            Assert.NotEqual(_beta.OrgId, account.GetProperty("org_id").GetString());
        }
    }

    [Fact]
    public async Task NeverServedDataset_Inconclusive()
    {
        var passages = Enumerable.Range(0, 40).Select(NeverServed).ToList();

        var response = await _admin.PostAsJsonAsync("/admin/v1/provenance/scan", new { passages });
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("inconclusive", result.GetProperty("verdict").GetString());
        Assert.Empty(result.GetProperty("accounts").EnumerateArray());
    }

    [Fact]
    public async Task JsonLinesUpload_WithCaseId_AttachesEvidenceAndAuditsItsDigest()
    {
        var investigation = await _host.Services.GetRequiredService<EnforcementService>()
            .OpenCaseAsync(_alpha.OrgId, "suspected distillation", "tester", null, CancellationToken.None);
        var lines = new StringBuilder();
        foreach (var passage in Leak(15)) lines.AppendLine(JsonSerializer.Serialize(new { id = lines.Length, output = passage }));
        using var content = new StringContent(lines.ToString(), Encoding.UTF8, "application/x-ndjson");

        var response = await _admin.PostAsync($"/admin/v1/provenance/scan?case_id={investigation.Id}&name=hub-dump", content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Equal(_alpha.OrgId, JsonDocument.Parse(body).RootElement.GetProperty("accounts")[0].GetProperty("org_id").GetString());
        var caseBody = JsonDocument.Parse(await _admin.GetStringAsync($"/admin/v1/cases/{investigation.Id}")).RootElement;
        var evidence = caseBody.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "evidence");
        Assert.Contains(_alpha.OrgId, evidence.GetProperty("text").GetString());
        var payload = evidence.GetProperty("payload");
        Assert.Equal("provenance_scan", payload.GetProperty("kind").GetString());
        Assert.Contains("<html", payload.GetProperty("report_html").GetString());
        var audit = await _admin.GetStringAsync("/admin/v1/audit");
        Assert.Contains("case.evidence", audit);
        Assert.Contains("sha256", audit);
    }

    [Fact]
    public async Task CsvUpload_AsBackgroundScan_ReportsProgressThenResultAndReport()
    {
        var csv = new StringBuilder("row,text\n");
        var i = 0;
        foreach (var passage in Leak(12)) csv.Append(i++).Append(",\"").Append(passage.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\"\n");
        using var content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv");

        var started = await _admin.PostAsync("/admin/v1/provenance/scans?name=leak.csv", content);
        var job = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal("provenance.scan", job.GetProperty("object").GetString());
        Assert.Equal(24, job.GetProperty("total").GetInt64());
        var id = job.GetProperty("id").GetString();

        JsonElement state;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(50);
            state = JsonDocument.Parse(await _admin.GetStringAsync($"/admin/v1/provenance/scans/{id}")).RootElement;
        }
        while (state.GetProperty("status").GetString() is "queued" or "running" && DateTime.UtcNow < deadline);

        Assert.Equal("completed", state.GetProperty("status").GetString());
        Assert.Equal(24, state.GetProperty("scanned").GetInt64());
        var result = state.GetProperty("result");
        Assert.Equal(_alpha.OrgId, result.GetProperty("accounts")[0].GetProperty("org_id").GetString());
        var report = await _admin.GetAsync(result.GetProperty("report_url").GetString());
        Assert.Equal("text/html", report.Content.Headers.ContentType!.MediaType);
        var html = await report.Content.ReadAsStringAsync();
        Assert.Contains(_alpha.OrgId, html);
        Assert.Contains("Clopper", html);
        var listed = await _admin.GetStringAsync("/admin/v1/provenance/scans");
        Assert.Contains(id!, listed);
    }

    [Fact]
    public async Task PlainTextAndMultipartUploads_AreRead()
    {
        // Plain text: passages are separated by blank lines, so each passage is kept on its lines without blank ones.
        var text = string.Join("\n\n", Leak(10).Select(p => p.Replace("\n\n", "\n", StringComparison.Ordinal)));
        using var plain = new StringContent(text, Encoding.UTF8, "text/plain");
        var fromPlain = JsonDocument.Parse(await (await _admin.PostAsync("/admin/v1/provenance/scan", plain)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(20, fromPlain.GetProperty("passages").GetInt64());
        Assert.Equal(_alpha.OrgId, fromPlain.GetProperty("accounts")[0].GetProperty("org_id").GetString());

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(string.Join("\n", Leak(10).Select(p => JsonSerializer.Serialize(p)))));
        form.Add(file, "file", "leak.jsonl");
        var fromForm = JsonDocument.Parse(await (await _admin.PostAsync("/admin/v1/provenance/scan", form)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(20, fromForm.GetProperty("passages").GetInt64());
        Assert.Equal(_alpha.OrgId, fromForm.GetProperty("accounts")[0].GetProperty("org_id").GetString());
    }

    [Theory]
    [InlineData("application/json", "{\"texts\": [\"a\"]}", "passages")]
    [InlineData("application/json", "{\"passages\": [\"a\", 3]}", "passages")]
    [InlineData("application/json", "{\"passages\": []}", "passages")]
    [InlineData("application/json", "not json", null)]
    [InlineData("application/x-ndjson", "\"fine\"\n{\"broken\": \n", null)]
    [InlineData("application/x-ndjson", "{\"id\": 1}\n", null)]
    [InlineData("text/csv", "a,b\n1,2\n", "column")]
    [InlineData("application/xml", "<passages/>", null)]
    public async Task BadDatasets_Get400InTheOpenAiShape(string contentType, string body, string? param)
    {
        using var content = new StringContent(body, Encoding.UTF8, contentType);

        var response = await _admin.PostAsync("/admin/v1/provenance/scan", content);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        if (param is not null) Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task TooManyJsonPassages_400PointsAtUploads()
    {
        var response = await _admin.PostAsJsonAsync("/admin/v1/provenance/scan", new { passages = Enumerable.Repeat("x", 10_001) });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("10000", body);

        // The same JSON as a file in a form is read whole too, so it has the same cap (the console's upload does the same).
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(JsonSerializer.Serialize(new { passages = Enumerable.Repeat("x", 10_001) })), "file", "leak.json");
        var fromForm = await _admin.PostAsync("/admin/v1/provenance/scan", form);
        Assert.Equal(HttpStatusCode.BadRequest, fromForm.StatusCode);
        Assert.Contains("10000", await fromForm.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task JsonDatasetInAForm_IsReadOnlyUpToTheJsonCeiling_413()
    {
        // JSON is parsed whole; carried in a multipart form it used to be read up to the upload limit (2 GiB) first.
        await using var host = await MoatTestHost.StartAsync(b => b.Set("Moat:Provenance:Scan:MaxJsonBytes", 4096));
        using var admin = host.Http();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MoatTestHost.AdminToken);
        var passages = Enumerable.Range(0, 200).Select(i => $"passage number {i} of a dataset that is far too large").ToList();

        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(JsonSerializer.Serialize(new { passages })), "file", "big.json");
        var fromForm = await admin.PostAsync("/admin/v1/provenance/scan", form);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, fromForm.StatusCode);
        var error = JsonDocument.Parse(await fromForm.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Contains("4096", error.GetProperty("message").GetString());

        var fromBody = await admin.PostAsJsonAsync("/admin/v1/provenance/scan", new { passages });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, fromBody.StatusCode);

        // The same passages as JSON Lines stream into the spool: the JSON ceiling does not apply.
        using var lines = new MultipartFormDataContent();
        lines.Add(new StringContent(string.Join("\n", passages.Select(p => JsonSerializer.Serialize(p)))), "file", "big.jsonl");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/admin/v1/provenance/scan", lines)).StatusCode);
    }

    [Fact]
    public async Task ScanRoutes_NeedTheAdminToken()
    {
        using var anonymous = _host.Http();
        var response = await anonymous.PostAsJsonAsync("/admin/v1/provenance/scan", new { passages = new[] { "x" } });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/admin/v1/provenance/scans")).StatusCode);
    }

    [Fact]
    public async Task UnknownScan_404_UnfinishedReport_409()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/admin/v1/provenance/scans/scan_nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/admin/v1/provenance/scans/scan_nope/report")).StatusCode);
    }
}
