using Microsoft.AspNetCore.Builder;
using Moat.Testing;

namespace Moat.Cli.Tests.Infrastructure;

/// <summary>The shared real host (Moat in front of the fake model server, throwaway SQLite), plus CLI helpers.</summary>
public sealed class CliTestHost : IAsyncDisposable
{
    public const string Model = MoatTestHost.Model;
    public const string AdminToken = MoatTestHost.AdminToken;

    private readonly MoatTestHost _host;

    private CliTestHost(MoatTestHost host) => _host = host;

    public WebApplication Gateway => _host.Gateway;
    public string DataDir => _host.DataDir;
    public string Url => _host.Url;
    public IServiceProvider Services => _host.Services;

    /// <summary>The setting that points offline commands (`moat audit verify`) at this host's database.</summary>
    public string DataDirArgument => $"--Moat:DataDir={DataDir}";

    public static async Task<CliTestHost> StartAsync() => new(await MoatTestHost.StartAsync(b => b
        // Every test applies from loopback; the portal's per-address limits would otherwise refuse the later ones.
        .Set("Moat:Portal:ApplicationsPerMinute", 10000)
        .Set("Moat:Portal:ApplicationsPerDay", 10000)));

    /// <summary>`moat admin ARGS --url … --token …` against this host.</summary>
    public Task<CliRun> AdminAsync(params string[] args) =>
        CliRun.InvokeAsync(["admin", .. args, "--url", Url, "--token", AdminToken, "--actor", "cli-test"]);

    /// <summary>`moat ARGS --url …` (portal commands need no token).</summary>
    public Task<CliRun> PortalAsync(params string[] args) => CliRun.InvokeAsync([.. args, "--url", Url]);

    /// <summary>Applies through `moat apply` and approves through `moat admin applications approve`; returns the new organisation's id.</summary>
    public async Task<string> ApprovedOrganizationAsync(string name, string tier = "standard")
    {
        var applied = await PortalAsync(
            "apply", "--org", name, "--email", $"ops@{name.ToLowerInvariant()}.test", "--use-case", "coding",
            "--intended-use", "Reviewing pull requests for our own repositories.", "--monthly-tokens", "2000000", "--accept-terms", "--json");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        var approved = await AdminAsync("applications", "approve", applied.Json().GetProperty("id").GetString()!, "--tier", tier, "--reason", "test customer", "--json");
        Assert.True(approved.ExitCode == 0, approved.ToString());
        return approved.Json().GetProperty("org_id").GetString()!;
    }

    public HttpClient Http() => _host.Http();

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
