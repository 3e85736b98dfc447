using Moat.Cli.Tests.Infrastructure;

namespace Moat.Cli.Tests;

/// <summary>`moat admin cases resolve --false-positive` and `moat admin allow-list list|remove`.</summary>
public sealed class AllowListCommandTests(CliHostFixture fixture) : IClassFixture<CliHostFixture>
{
    private CliTestHost Host => fixture.Host;

    [Fact]
    public async Task CasesResolve_FalsePositive_AllowListsThenRemoveTakesItOff()
    {
        var orgId = await Host.ApprovedOrganizationAsync("Benchmarkers");
        Assert.Equal(0, (await Host.AdminAsync("orgs", "suspend", orgId, "--reason", "benchmark suite traffic")).ExitCode);
        var caseId = (await Host.AdminAsync("cases", "list", "--org", orgId, "--json")).Json().GetProperty("data")[0].GetProperty("id").GetString()!;

        var resolved = await Host.AdminAsync("cases", "resolve", caseId, "--resolution", "reinstated", "--reason", "approved eval lab",
            "--false-positive", "--allow-list-days", "7");

        Assert.True(resolved.ExitCode == 0, resolved.ToString());
        Assert.Contains("allow-listed (false positive)", resolved.Out);
        var listed = await Host.AdminAsync("allow-list", "list");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains(orgId, listed.Out);
        Assert.Contains("approved eval lab", listed.Out);
        var entry = (await Host.AdminAsync("allow-list", "list", "--json")).Json().GetProperty("data").EnumerateArray()
            .Single(e => e.GetProperty("org_id").GetString() == orgId);
        Assert.Equal(TimeSpan.FromDays(7), entry.GetProperty("expires_at").GetDateTimeOffset() - entry.GetProperty("created_at").GetDateTimeOffset());

        var withoutReason = await Host.AdminAsync("allow-list", "remove", orgId);
        Assert.Equal(1, withoutReason.ExitCode);
        Assert.Contains("reason", withoutReason.Error);
        var removed = await Host.AdminAsync("allow-list", "remove", orgId, "--reason", "new evidence");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Contains("removed from the allow-list", removed.Out);
        Assert.DoesNotContain(orgId, (await Host.AdminAsync("allow-list", "list")).Out);
    }

    [Fact]
    public async Task CasesResolve_FalsePositiveWithTerminated_ExitsOneNamingVerdict()
    {
        var orgId = await Host.ApprovedOrganizationAsync("Scrapers");
        Assert.Equal(0, (await Host.AdminAsync("orgs", "suspend", orgId, "--reason", "harvesting")).ExitCode);
        var caseId = (await Host.AdminAsync("cases", "list", "--org", orgId, "--json")).Json().GetProperty("data")[0].GetProperty("id").GetString()!;

        var refused = await Host.AdminAsync("cases", "resolve", caseId, "--resolution", "terminated", "--reason", "x", "--false-positive");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("verdict", refused.Error);
    }
}
