using System.Text.Json;
using Moat.Cli.Admin;

namespace Moat.Cli.Tests;

/// <summary>The human views, fed answers shaped exactly as docs/admin-api-contract.md describes.</summary>
public sealed class RendererTests
{
    [Fact]
    public void OrganizationShow_ContractAnswer_ShowsStateLimitsKeysAndUsage()
    {
        var text = Render(OrganizationRenderer.Show, """
            {"id":"org_7","name":"Acme","state":"throttled","tier":"standard",
             "limits":{"requests_per_minute":600,"tokens_per_minute":1000000,"tokens_per_day":20000000},
             "overrides":{"requests_per_minute":60,"tokens_per_minute":null,"tokens_per_day":null},
             "use_case_category":"coding","contact_email":"ops@acme.test","allow_benchmarks":false,
             "created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-03T03:04:05Z","open_case_id":"case_3",
             "risk":{"score":71.5,"level":"high"},
             "keys":[{"id":"key_1","org_id":"org_7","name":"ci","prefix":"moat-sk-ab12","created_at":"2026-01-02T03:04:05Z","last_used_at":null,"revoked_at":null,"expires_at":null}],
             "usage":{"requests_24h":1234,"prompt_tokens_24h":5000,"completion_tokens_24h":7000,"errors_24h":2}}
            """);

        Assert.Contains("throttled", text);
        Assert.Contains("1,000,000", text);
        Assert.Contains("moat-sk-ab12", text);
        Assert.Contains("1,234", text);
        Assert.Contains("71.5 high", text);
        Assert.Contains("case_3", text);
    }

    [Fact]
    public void KeyCreated_PrintsSecretOnItsOwnLineAfterAWarning()
    {
        var text = Render(KeyRenderer.Created, """{"id":"key_2","org_id":"org_7","name":"ci","prefix":"moat-sk-cd34","key":"moat-sk-cd34SECRET","created_at":"2026-01-02T03:04:05Z"}""");
        var lines = text.Split('\n').Select(l => l.Trim()).ToList();

        var warning = lines.FindIndex(l => l.Contains("shown once", StringComparison.Ordinal));
        Assert.True(warning >= 0, text);
        Assert.Equal("moat-sk-cd34SECRET", lines[warning + 1]);
    }

    [Fact]
    public void CaseShow_ContractAnswer_ListsTheTimeline()
    {
        var text = Render(CaseRenderer.Show, """
            {"id":"case_3","org_id":"org_7","status":"open","opened_by":"detection","opened_at":"2026-01-02T03:04:05Z","reason":"risk 91",
             "resolution":null,"required_changes":null,"resolved_by":null,"resolved_at":null,
             "events":[{"id":1,"at":"2026-01-02T03:04:05Z","actor":"detection","kind":"signal","text":"instruction_generation excess","payload":{"strength":0.9}},
                       {"id":2,"at":"2026-01-02T04:00:00Z","actor":"alice","kind":"note","text":"called the customer","payload":null}]}
            """);

        Assert.Contains("instruction_generation excess", text);
        Assert.Contains("\"strength\":0.9", text);
        Assert.Contains("called the customer", text);
        Assert.True(text.IndexOf("instruction_generation", StringComparison.Ordinal) < text.IndexOf("called the customer", StringComparison.Ordinal));
    }

    [Fact]
    public void RiskShow_SignalsWithEvidence_HighestContributionFirst()
    {
        var text = Render(RiskRenderer.Show, """
            {"org_id":"org_7","score":88,"level":"critical","signals":[
              {"name":"template_reuse","value":0.2,"contribution":3,"evidence":"12 of 900 prompts share a template"},
              {"name":"instruction_generation","value":0.9,"contribution":40,"evidence":"41% of prompts ask for instruction data"}]}
            """);

        Assert.Contains("88 critical", text);
        Assert.True(text.IndexOf("41% of prompts", StringComparison.Ordinal) < text.IndexOf("12 of 900", StringComparison.Ordinal));
    }

    [Fact]
    public void Lists_MarkupInServerText_IsPrintedNotInterpreted()
    {
        var text = Render(OrganizationRenderer.List, """{"data":[{"id":"org_1","name":"[red]Evil[/] Corp","state":"active","tier":"free","limits":{},"risk":null}],"next_cursor":"c2"}""");

        Assert.Contains("[red]Evil[/] Corp", text);
        Assert.Contains("--cursor c2", text);
    }

    private static string Render(Action<Spectre.Console.IAnsiConsole, AdminResponse> render, string json)
    {
        using var output = new StringWriter();
        render(CliOutput.Plain(output, TextWriter.Null).Console, new AdminResponse(json, JsonDocument.Parse(json).RootElement.Clone()));
        return output.ToString();
    }
}
