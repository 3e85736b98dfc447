using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Moat.Core.Access;
using Moat.FakeUpstream;
using Moat.Server;
using Moat.Storage;

namespace Moat.WebConsole.Tests.Infrastructure;

/// <summary>A real Moat host on loopback (console included) in front of a fake upstream, on a throwaway SQLite file.</summary>
public sealed class ConsoleTestHost : IAsyncDisposable
{
    public const string Model = "gpt-test";
    public const string AdminToken = "test-admin-token-console-0123456789";

    private readonly WebApplication _upstream;
    private readonly string _dataDir;

    private ConsoleTestHost(WebApplication gateway, WebApplication upstream, string dataDir)
    {
        Gateway = gateway;
        _upstream = upstream;
        _dataDir = dataDir;
        BaseUri = new Uri(gateway.Urls.First());
    }

    public WebApplication Gateway { get; }
    public Uri BaseUri { get; }
    public IServiceProvider Services => Gateway.Services;

    public Uri Console(string path = "") => new(BaseUri, "/console/" + path.TrimStart('/'));

    public static async Task<ConsoleTestHost> StartAsync()
    {
        // Long outputs, so a served answer is a passage worth a provenance search.
        var upstream = FakeUpstreamHost.Create(["--urls", "http://127.0.0.1:0"], o => o.MinWords = 90);
        await upstream.StartAsync();

        var dataDir = Path.Combine(Path.GetTempPath(), "moat-console-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dataDir);
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            $"--Moat:DataDir={dataDir}",
            $"--Moat:Admin:Token={AdminToken}",
            "--Logging:LogLevel:Default=Warning",
            $"--Moat:Models:0:Id={Model}",
            $"--Moat:Models:0:Upstreams:0:BaseUrl={upstream.Urls.First()}/v1",
        ];
        var gateway = MoatApplication.Create(args);
        await MoatApplication.PrepareAsync(gateway, TextWriter.Null);
        await gateway.StartAsync();
        return new ConsoleTestHost(gateway, upstream, dataDir);
    }

    /// <summary>An active organisation with one key; returns its id and the key's secret.</summary>
    public async Task<(string OrgId, string KeyId, string Secret)> CreateCustomerAsync(string name, string tier = "standard")
    {
        var org = await Services.GetRequiredService<OrganizationStore>().CreateAsync(name, tier, OrgState.Active);
        var key = await Services.GetRequiredService<ApiKeyStore>().CreateAsync(org.Id, "test") ?? throw new InvalidOperationException("organisation vanished");
        return (org.Id, key.Key.Id, key.Secret);
    }

    public HttpClient Http() => new() { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(60) };

    public async ValueTask DisposeAsync()
    {
        await Gateway.StopAsync();
        await Gateway.DisposeAsync();
        await _upstream.StopAsync();
        await _upstream.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
