using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moat.Cli.Tests.Infrastructure;
using Moat.Provenance.Hosting;

namespace Moat.Cli.Tests;

/// <summary>`moat admin provenance scan FILE` against a real server: a dataset of served answers is traced to its account.</summary>
public sealed class ProvenanceScanCommandTests(CliHostFixture fixture) : IClassFixture<CliHostFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("moat-scan-cli-").FullName;

    private CliTestHost Host => fixture.Host;

    [Fact]
    public async Task Scan_JsonLinesOfServedAnswers_ShowsTheOrganisationAndExitsZero()
    {
        var (orgId, dataset) = await ServedDatasetAsync("Leaky");

        var run = await Host.AdminAsync("provenance", "scan", dataset);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("verdict: attributed", run.Out);
        Assert.Contains(orgId, run.Out);
        Assert.Contains($"examples for {orgId}", run.Out);
        Assert.Matches(@"\d\.\d\de-\d\d", run.Out);
    }

    [Fact]
    public async Task Scan_Json_PrintsTheCompletedJobAsJson()
    {
        var (orgId, dataset) = await ServedDatasetAsync("Scripted");

        var run = await Host.AdminAsync("provenance", "scan", dataset, "--name", "scripted leak", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var job = run.Json();
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal("scripted leak", job.GetProperty("name").GetString());
        Assert.Equal(orgId, job.GetProperty("result").GetProperty("accounts")[0].GetProperty("org_id").GetString());
    }

    [Fact]
    public async Task Scan_Case_AttachesTheResultAsEvidence()
    {
        var (orgId, dataset) = await ServedDatasetAsync("Attached");
        Assert.Equal(0, (await Host.AdminAsync("orgs", "suspend", orgId, "--reason", "dataset found online")).ExitCode);
        var caseId = (await Host.AdminAsync("cases", "list", "--org", orgId, "--json")).Json().GetProperty("data")[0].GetProperty("id").GetString()!;

        var run = await Host.AdminAsync("provenance", "scan", dataset, "--case", caseId);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"attached to case {caseId}", run.Out);
        var events = (await Host.AdminAsync("cases", "show", caseId, "--json")).Json().GetProperty("events").EnumerateArray();
        var evidence = Assert.Single(events, e => e.GetProperty("kind").GetString() == "evidence");
        Assert.Contains("provenance scan", evidence.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Scan_Report_WritesTheHtmlReport()
    {
        var (orgId, dataset) = await ServedDatasetAsync("Reported");
        var report = Path.Combine(_folder, "report.html");

        var run = await Host.AdminAsync("provenance", "scan", dataset, "--report", report);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("report saved to", run.Out);
        var html = await File.ReadAllTextAsync(report);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains(orgId, html);
    }

    [Fact]
    public async Task Scan_UnknownExtension_ExitsTwoNamingTheFormatsBeforeAnyRequest()
    {
        var dataset = Path.Combine(_folder, "leak.xlsx");
        await File.WriteAllTextAsync(dataset, "not a format the server reads");

        var run = await CliRun.InvokeAsync("admin", "provenance", "scan", dataset, "--url", "http://127.0.0.1:9", "--token", CliTestHost.AdminToken);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Cannot tell the format of 'leak.xlsx'", run.Error);
        Assert.Contains(".jsonl", run.Error);
    }

    [Fact]
    public async Task Scan_EmptyDataset_ExitsOneWithTheServersError()
    {
        var dataset = Path.Combine(_folder, "empty.txt");
        await File.WriteAllTextAsync(dataset, "\n\n");

        var run = await Host.AdminAsync("provenance", "scan", dataset);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: invalid_request_error: ", run.Error);
    }

    /// <summary>A new organisation is served a few answers of its own; they are written, one JSON object a line, to a .jsonl file.</summary>
    private async Task<(string OrgId, string Path)> ServedDatasetAsync(string name)
    {
        var orgId = await Host.ApprovedOrganizationAsync(name + Guid.NewGuid().ToString("n")[..6]);
        var secret = (await Host.AdminAsync("keys", "create", orgId, "--name", "scraper", "--json")).Json().GetProperty("key").GetString()!;
        using var http = Host.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var lines = new List<string>();
        foreach (var topic in new[] { "tides and harbours", "bread ovens", "glacier retreat", "medieval bridges", "beekeeping", "railway signalling" })
        {
            using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
            {
                model = CliTestHost.Model,
                messages = new[] { new { role = "user", content = $"Write a long essay about {topic} ({orgId})." } },
            });
            response.EnsureSuccessStatusCode();
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var served = answer.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
            lines.Add(JsonSerializer.Serialize(new { text = served }));
        }
        await Host.Services.GetRequiredService<ProvenanceIngestor>().WhenIdleAsync();
        var path = System.IO.Path.Combine(_folder, $"{name}.jsonl");
        await File.WriteAllLinesAsync(path, lines);
        return (orgId, path);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
