using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Moat.Admin.Access;
using Moat.Core.Access;
using Moat.Provenance.Hosting;
using Moat.Storage;
using Moat.WebConsole.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Moat.WebConsole.Tests;

/// <summary>The console in a real browser against a real host: sign-in, the application queue, enforcement, audit, provenance, risk.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleBrowserTests(ConsoleFixture fixture)
{
    private ConsoleTestHost Host => fixture.Host;

    [BrowserFact]
    public async Task SignIn_WrongToken_StaysOnSignInWithErrorAndIsAudited()
    {
        var page = await fixture.NewPageAsync();
        var audit = Host.Services.GetRequiredService<AuditLog>();
        var before = (await audit.ListAsync(null, 500, new AuditQuery(Action: "admin.login_failed"))).Data.Count;

        await page.SignInAsync(token: "not-the-admin-token");

        await Expect(page).ToHaveURLAsync(ConsolePages.SignInUrl());
        await Expect(page.Locator("[data-testid=signin-error]")).ToBeVisibleAsync();
        // Failed sign-ins are audited as one summary per address per window: close the window now.
        await Host.Services.GetRequiredService<Moat.Admin.SignIn.FailedSignInAuditor>().FlushAsync();
        var after = await audit.ListAsync(null, 500, new AuditQuery(Action: "admin.login_failed"));
        Assert.Equal(before + 1, after.Data.Count);
        Assert.True(JsonDocument.Parse(after.Data[0].PayloadJson).RootElement.GetProperty("console").GetInt32() >= 1);
        Assert.Contains("invalid admin token", after.Data[0].PayloadJson, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-admin-token", after.Data[0].PayloadJson, StringComparison.Ordinal);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "moat_console");
    }

    [BrowserFact]
    public async Task SignIn_AdminToken_ShowsOverviewWithAStrictHttpOnlySession()
    {
        var page = await fixture.NewPageAsync();

        await page.SignInAsync(name: "alex");

        await Expect(page).ToHaveURLAsync(ConsolePages.OverviewUrl());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=stat-pending]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=actor]")).ToHaveTextAsync("console:alex");
        var session = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "moat_console");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.Equal("/console", session.Path);
        await page.ScreenshotAsync("overview");
    }

    [BrowserFact]
    public async Task Applications_ApprovePending_OrganisationAppears()
    {
        var name = "Queue Test " + Guid.NewGuid().ToString("n")[..6];
        var application = await Host.Services.GetRequiredService<AccessService>().SubmitAsync(
            new ValidApplication(name, "ops@example.com", "Customer support answers for our help centre.", "customer_support", 2_000_000, "2026-01"),
            "127.0.0.1", CancellationToken.None);
        var page = await fixture.NewPageAsync();
        await page.SignInAsync();

        await page.OpenAsync("applications", "Applications");
        await page.ScreenshotAsync("applications");
        await page.Locator($"[data-testid=approve-{application.Id}]").ClickAsync();
        await page.ConfirmDialogAsync("Looks legitimate.");

        await Expect(page.Locator($"[data-testid=approve-{application.Id}]")).ToHaveCountAsync(0);
        await page.OpenAsync("orgs", "Organisations");
        var row = page.Locator("[data-testid=organizations] tr", new() { HasText = name });
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.Locator("[data-testid=state-chip]")).ToHaveTextAsync("active");
        var approved = await Host.Services.GetRequiredService<AccessService>().GetApplicationAsync(application.Id, CancellationToken.None);
        Assert.Equal("console:alex", approved.ReviewedBy);
        Assert.Equal("standard", approved.Tier);
    }

    [BrowserFact]
    public async Task Organisation_SuspendWithReason_ChipShowsSuspendedAndAuditLogShowsIt()
    {
        var (orgId, _, _) = await Host.CreateCustomerAsync("Suspend Test " + Guid.NewGuid().ToString("n")[..6]);
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(name: "sam");

        await page.GotoAsync($"/console/orgs/{orgId}");
        await Expect(page.Locator("[data-testid=state-chip]").First).ToHaveTextAsync("active");
        await Expect(page.Locator("[data-testid=enforce-reinstate]")).ToBeDisabledAsync();
        await page.Locator("[data-testid=enforce-suspend]").ClickAsync();
        await page.ConfirmDialogAsync("Distillation pattern confirmed by review.");

        await Expect(page.Locator("[data-testid=state-chip]").First).ToHaveTextAsync("suspended");
        await Expect(page.Locator("[data-testid=enforce-suspend]")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-testid=enforce-reinstate]")).ToBeEnabledAsync();
        await page.ScreenshotAsync("organisation");
        var org = await Host.Services.GetRequiredService<OrganizationStore>().FindAsync(orgId);
        Assert.Equal(OrgState.Suspended, org!.State);

        await page.OpenAsync("audit", "Audit log");
        var entry = page.Locator("[data-testid=audit] tr", new() { HasText = orgId }).Filter(new() { HasText = "org.suspend" });
        await Expect(entry).ToBeVisibleAsync();
        await Expect(entry).ToContainTextAsync("console:sam");
        await Expect(entry).ToContainTextAsync("Distillation pattern confirmed by review.");
        await page.Locator("[data-testid=verify-chain]").ClickAsync();
        await Expect(page.Locator("[data-testid=verify-result]")).ToContainTextAsync("The chain is valid");
        await page.ScreenshotAsync("audit");
    }

    [BrowserFact]
    public async Task ProvenanceScan_UploadedJsonLinesOfServedAnswers_NamesTheOrganisationAndAttachesToItsCase()
    {
        var name = "Dataset Leaker " + Guid.NewGuid().ToString("n")[..6];
        var (orgId, _, secret) = await Host.CreateCustomerAsync(name);
        using var http = Host.Http();
        http.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        var lines = new List<string>();
        foreach (var topic in new[] { "lighthouses", "salt marshes", "rope making", "tide tables", "ship biscuits" })
        {
            using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
            {
                model = ConsoleTestHost.Model,
                messages = new[] { new { role = "user", content = $"Write a long essay about {topic} ({orgId})." } },
            });
            response.EnsureSuccessStatusCode();
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            lines.Add(JsonSerializer.Serialize(new { text = answer.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString() }));
        }
        await Host.Services.GetRequiredService<ProvenanceIngestor>().WhenIdleAsync();
        var investigation = await Host.Services.GetRequiredService<Moat.Admin.Enforcement.EnforcementService>()
            .OpenCaseAsync(orgId, "dataset found on a forum", "test", null, CancellationToken.None);
        var dataset = Path.Combine(Path.GetTempPath(), $"leak-{Guid.NewGuid():n}.jsonl");
        await File.WriteAllLinesAsync(dataset, lines);
        var page = await fixture.NewPageAsync();
        await page.SignInAsync();

        await page.OpenAsync("provenance", "Provenance search");
        // A click or a file chosen before the circuit is interactive (the page is prerendered) is lost: do it again.
        await UntilAsync(
            () => page.GetByRole(AriaRole.Tab, new() { Name = "Scan a dataset" }).ClickAsync(),
            () => Expect(page.Locator("[data-testid=scan-start]")).ToBeVisibleAsync(new() { Timeout = 3_000 }));
        await UntilAsync(
            () => page.Locator("[data-testid=scan-file] input[type=file]").SetInputFilesAsync(dataset),
            () => Expect(page.Locator("[data-testid=scan-file-name]")).ToContainTextAsync(Path.GetFileName(dataset), new() { Timeout = 3_000 }));
        await page.Locator("[data-testid=scan-name] input").FillAsync("forum dump");
        await page.Locator("[data-testid=scan-start]").ClickAsync();

        await Expect(page.Locator("[data-testid=scan-verdict]")).ToHaveTextAsync("attributed");
        await Expect(page.Locator("[data-testid=scan-accounts] tbody tr").First).ToContainTextAsync(orgId);
        await Expect(page.Locator("[data-testid=scan-accounts] tbody tr").First).ToContainTextAsync(name);
        var report = await page.Context.APIRequest.GetAsync(await page.Locator("[data-testid=scan-report]").GetAttributeAsync("href") is { } href
            ? new Uri(Host.Console(), href).ToString() : throw new InvalidOperationException("no report link"));
        Assert.Equal(200, report.Status);
        Assert.Contains(orgId, await report.TextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync("provenance-scan");

        await page.Locator("[data-testid=scan-attach]").ClickAsync();
        await Expect(page.Locator("[data-testid=scan-attached]")).ToContainTextAsync(investigation.Id);
        var attached = await Host.Services.GetRequiredService<Moat.Admin.Cases.CaseService>().GetAsync(investigation.Id, CancellationToken.None);
        Assert.Contains(attached.Events, e => e.Kind == Moat.Storage.Entities.CaseEventKind.Evidence && e.Text.Contains("provenance scan", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=scan-list]")).ToContainTextAsync("forum dump");
        File.Delete(dataset);
    }

    [BrowserFact]
    public async Task Provenance_PassageThatWasServed_IsAttributedToItsOrganisation()
    {
        var (orgId, _, secret) = await Host.CreateCustomerAsync("Provenance Test " + Guid.NewGuid().ToString("n")[..6]);
        using var http = Host.Http();
        http.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = ConsoleTestHost.Model,
            messages = new[] { new { role = "user", content = "Write a long essay about tides and harbours." } },
        });
        response.EnsureSuccessStatusCode();
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var served = answer.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        await Host.Services.GetRequiredService<ProvenanceIngestor>().WhenIdleAsync();
        var page = await fixture.NewPageAsync();
        await page.SignInAsync();

        await page.OpenAsync("provenance", "Provenance search");
        await page.Locator("[data-testid=provenance-text] textarea").FillAsync(served.ToLowerInvariant());
        await page.Locator("[data-testid=provenance-search]").ClickAsync();

        await Expect(page.Locator("[data-testid=provenance-verdict]")).ToHaveTextAsync("attributed");
        await Expect(page.Locator("[data-testid=provenance-matches] tbody tr").First).ToContainTextAsync("Provenance Test");
        await page.ScreenshotAsync("provenance");
        Assert.NotNull(orgId);
    }

    [BrowserFact]
    public async Task Risk_Leaderboard_RendersAndIsSavedForHumans()
    {
        var (orgId, _, secret) = await Host.CreateCustomerAsync("Risk Test " + Guid.NewGuid().ToString("n")[..6]);
        using var http = Host.Http();
        http.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        for (var i = 0; i < 12; i++)
        {
            using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
            {
                model = ConsoleTestHost.Model,
                messages = new[] { new { role = "user", content = $"Solve step by step and show your reasoning: problem {i}." } },
            });
        }
        var page = await fixture.NewPageAsync();
        await page.SignInAsync();

        await page.OpenAsync("risk", "Risk leaderboard");
        await Expect(page.Locator("[data-testid=risk-leaderboard], [data-testid=no-risk-data]").First).ToBeVisibleAsync();
        await page.ScreenshotAsync("risk");
        await page.GotoAsync($"/console/risk/{orgId}");
        await Expect(page.Locator("[data-testid=risk-signals], [data-testid=no-risk-data]").First).ToBeVisibleAsync();
        await page.ScreenshotAsync("risk-org");
        Assert.True(File.Exists(Path.Combine(ConsoleFixture.ScreenshotDirectory, "risk.png")));
    }

    [BrowserFact]
    public async Task Organisation_CreateKey_ShowsTheSecretOnceAndListsTheKey()
    {
        var (orgId, _, _) = await Host.CreateCustomerAsync("Key Test " + Guid.NewGuid().ToString("n")[..6]);
        var page = await fixture.NewPageAsync();
        await page.SignInAsync();

        await page.GotoAsync($"/console/orgs/{orgId}");
        await page.Locator("[data-testid=create-key]").ClickAsync();
        await page.Locator(".mud-dialog [data-testid=dialog-text] input, .mud-dialog [data-testid=dialog-text] textarea").First.FillAsync("batch-pipeline");
        await page.Locator(".mud-dialog [data-testid=dialog-confirm]").ClickAsync();
        var secret = page.Locator("[data-testid=key-secret]");
        await Expect(secret).ToContainTextAsync("moat-sk-");
        await page.ScreenshotAsync("key-created");
        var shown = (await secret.TextContentAsync())!.Trim();
        await page.Locator(".mud-dialog [data-testid=dialog-confirm]").ClickAsync();

        await Expect(page.Locator("[data-testid=keys] tr", new() { HasText = "batch-pipeline" })).ToBeVisibleAsync();
        Assert.DoesNotContain(shown, await page.ContentAsync(), StringComparison.Ordinal);
        var keys = await Host.Services.GetRequiredService<ApiKeyStore>().ListAsync(orgId);
        Assert.Contains(keys, k => k.Name == "batch-pipeline" && shown.StartsWith(k.Prefix, StringComparison.Ordinal));
    }

    [BrowserFact]
    public async Task Case_AddNoteThenResolveReinstated_OrganisationIsActiveAgain()
    {
        var (orgId, _, _) = await Host.CreateCustomerAsync("Case Test " + Guid.NewGuid().ToString("n")[..6]);
        var suspended = await Host.Services.GetRequiredService<Moat.Admin.Enforcement.EnforcementService>().ApplyAsync(
            orgId, OrgAction.Suspend, "Automated: risk score above the suspend threshold.", "detection", new { score = 91.5, top_signal = "template_reuse" }, CancellationToken.None);
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(name: "kim");

        await page.OpenAsync("cases", "Cases");
        await page.GetByRole(AriaRole.Link, new() { Name = suspended.CaseId! }).ClickAsync();
        await page.Locator("[data-testid=case-note] textarea").FillAsync("Customer explained the batch job; asked for their pipeline description.");
        await page.Locator("[data-testid=add-note]").ClickAsync();
        await Expect(page.Locator(".mud-timeline")).ToContainTextAsync("asked for their pipeline description");
        await page.ScreenshotAsync("case");
        await page.Locator("[data-testid=resolve-case]").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await dialog.Locator("[data-testid=dialog-required-changes] textarea").FillAsync("Declare the translation pipeline; keep under 200 rpm.");
        await page.ConfirmDialogAsync("Legitimate translation workload.");

        await Expect(page.Locator("[data-testid=case-status]")).ToHaveTextAsync("resolved");
        var org = await Host.Services.GetRequiredService<OrganizationStore>().FindAsync(orgId);
        Assert.Equal(OrgState.Active, org!.State);
        var resolved = await Host.Services.GetRequiredService<Moat.Admin.Cases.CaseService>().GetAsync(suspended.CaseId!, CancellationToken.None);
        Assert.Equal("console:kim", resolved.ResolvedBy);
        Assert.Equal("Declare the translation pipeline; keep under 200 rpm.", resolved.RequiredChanges);
    }

    [BrowserFact]
    public async Task EveryPage_Renders_WithoutTheErrorBar()
    {
        var (orgId, _, _) = await Host.CreateCustomerAsync("Tour Test " + Guid.NewGuid().ToString("n")[..6]);
        var page = await fixture.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                errors.Add($"{response.Status} {response.Url}");
            }
        };
        await page.GotoAsync("/console/signin");
        await page.ScreenshotAsync("signin");
        await page.SignInAsync();

        (string Path, string Heading)[] pages =
        [
            ("", "Overview"), ("applications", "Applications"), ("orgs", "Organisations"), ("risk", "Risk leaderboard"),
            ("cases", "Cases"), ("provenance", "Provenance search"), ("audit", "Audit log"),
        ];
        foreach (var (path, heading) in pages)
        {
            await page.OpenAsync(path, heading);
            await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        }
        await page.ScreenshotAsync("organisations-list");
        await page.OpenAsync("orgs", "Organisations");
        await page.ScreenshotAsync("organisations");
        await page.GotoAsync($"/console/orgs/{orgId}");
        await Expect(page.Locator("[data-testid=org-name]")).ToBeVisibleAsync();
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        Assert.True(errors.Count == 0, "Browser console errors:\n" + string.Join("\n", errors));
    }

    /// <summary>Acts until the check passes (five tries).</summary>
    private static async Task UntilAsync(Func<Task> act, Func<Task> check)
    {
        for (var attempt = 1; ; attempt++)
        {
            await act();
            try
            {
                await check();
                return;
            }
            catch (Exception missed) when (missed is PlaywrightException or TimeoutException && attempt < 5)
            {
            }
        }
    }
}
