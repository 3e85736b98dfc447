using System.Net;
using System.Net.Sockets;
using Moat.Cli.Tests.Infrastructure;

namespace Moat.Cli.Tests;

/// <summary>Exit codes that need no server: 2 for a wrong command line, 3 when nothing answers.</summary>
public sealed class UsageErrorTests
{
    private const string Token = "secret-admin-token-never-printed";

    [Fact]
    public async Task Admin_UnreachableUrl_ExitsThreeWithOneLineNamingTheUrl()
    {
        var url = $"http://127.0.0.1:{FreePort()}";

        var run = await CliRun.InvokeAsync("admin", "orgs", "list", "--url", url, "--token", Token);

        Assert.True(run.ExitCode == 3, run.ToString());
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: cannot connect to {url}/", line);
        Assert.DoesNotContain(Token, run.Out + run.Error);
    }

    [Fact]
    public async Task Apply_UnreachableUrl_ExitsThree()
    {
        var run = await CliRun.InvokeAsync("apply", "status", "app_1", "--url", $"http://127.0.0.1:{FreePort()}");

        Assert.True(run.ExitCode == 3, run.ToString());
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("admin", "orgs", "explode", "org_1")]
    [InlineData("admin", "applications", "approve", "app_1")]
    [InlineData("admin", "cases", "resolve", "case_1", "--resolution", "forgiven", "--reason", "x")]
    [InlineData("admin", "usage", "--group-by", "week")]
    [InlineData("admin", "provenance", "search")]
    [InlineData("admin", "provenance", "search", "--text", "a", "--file", "b.txt")]
    [InlineData("admin", "orgs", "set-limits", "org_1", "--rpm", "many")]
    public async Task Admin_MalformedCommandLine_ExitsTwoWithoutCallingTheServer(params string[] args)
    {
        // The URL would refuse connections (exit 3), so 2 proves the command never got that far.
        var run = await CliRun.InvokeAsync([.. args, "--url", $"http://127.0.0.1:{FreePort()}", "--token", Token]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error: ", run.Error);
    }

    [Fact]
    public async Task Admin_BadUrl_ExitsTwo()
    {
        var run = await CliRun.InvokeAsync("admin", "orgs", "list", "--url", "not a url", "--token", Token);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--url", run.Error);
    }

    [Fact]
    public async Task Apply_NoTerminalAndNoAcceptTerms_ExitsTwoAskingForAcceptTerms()
    {
        var run = await CliRun.InvokeAsync(
            "apply", "--org", "Acme", "--email", "ops@acme.test", "--use-case", "coding", "--intended-use", "Code review bot",
            "--monthly-tokens", "1000000", "--url", $"http://127.0.0.1:{FreePort()}");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--accept-terms", run.Error);
    }

    [Fact]
    public async Task Apply_MissingFields_ExitsTwoNamingThem()
    {
        var run = await CliRun.InvokeAsync("apply", "--org", "Acme", "--accept-terms", "--url", $"http://127.0.0.1:{FreePort()}");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--email", run.Error);
        Assert.Contains("--monthly-tokens", run.Error);
        Assert.DoesNotContain("--org", run.Error.Split("(see")[0]);
    }

    [Fact]
    public async Task Help_AdminOrgs_ListsEveryStateAction()
    {
        var run = await CliRun.InvokeAsync("admin", "orgs", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var action in new[] { "list", "show", "set-tier", "set-limits", "warn", "throttle", "suspend", "reinstate", "terminate" })
        {
            Assert.Contains(action, run.Out);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
