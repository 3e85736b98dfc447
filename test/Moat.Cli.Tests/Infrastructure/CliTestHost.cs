using Microsoft.AspNetCore.Builder;
using Moat.FakeUpstream;
using Moat.Server;

namespace Moat.Cli.Tests.Infrastructure;

/// <summary>A real Moat server on loopback in front of the fake model server, on a throwaway SQLite file, for the CLI to talk to.</summary>
public sealed class CliTestHost : IAsyncDisposable
{
    public const string Model = "gpt-test";
    public const string AdminToken = "cli-test-admin-token-0123456789";

    private readonly WebApplication _upstream;

    private CliTestHost(WebApplication gateway, WebApplication upstream, string dataDir)
    {
        Gateway = gateway;
        _upstream = upstream;
        DataDir = dataDir;
        Url = gateway.Urls.First();
    }

    public WebApplication Gateway { get; }
    public string DataDir { get; }
    public string Url { get; }
    public IServiceProvider Services => Gateway.Services;

    /// <summary>The setting that points offline commands (`moat audit verify`) at this host's database.</summary>
    public string DataDirArgument => $"--Moat:DataDir={DataDir}";

    public static async Task<CliTestHost> StartAsync()
    {
        var upstream = FakeUpstreamHost.Create(["--urls", "http://127.0.0.1:0"]);
        await upstream.StartAsync();
        var dataDir = Path.Combine(Path.GetTempPath(), "moat-cli-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dataDir);
        var gateway = MoatApplication.Create(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Moat:DataDir={dataDir}",
            $"--Moat:Admin:Token={AdminToken}",
            "--Logging:LogLevel:Default=Warning",
            $"--Moat:Models:0:Id={Model}",
            $"--Moat:Models:0:Upstreams:0:BaseUrl={upstream.Urls.First()}/v1",
            // Every test applies from loopback; the portal's per-address limits would otherwise refuse the later ones.
            "--Moat:Portal:ApplicationsPerMinute=10000",
            "--Moat:Portal:ApplicationsPerDay=10000",
        ]);
        await MoatApplication.PrepareAsync(gateway, TextWriter.Null);
        await gateway.StartAsync();
        return new CliTestHost(gateway, upstream, dataDir);
    }

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

    public HttpClient Http() => new() { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(60) };

    public async ValueTask DisposeAsync()
    {
        await Gateway.StopAsync();
        await Gateway.DisposeAsync();
        await _upstream.StopAsync();
        await _upstream.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
