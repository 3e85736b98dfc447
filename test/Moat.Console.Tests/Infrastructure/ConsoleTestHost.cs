using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Moat.Core.Access;
using Moat.Testing;
using Moat.Storage;

namespace Moat.WebConsole.Tests.Infrastructure;

/// <summary>The shared real host (console included) in front of a fake upstream that writes long answers.</summary>
public sealed class ConsoleTestHost : IAsyncDisposable
{
    public const string Model = MoatTestHost.Model;
    public const string AdminToken = MoatTestHost.AdminToken;

    private readonly MoatTestHost _host;

    private ConsoleTestHost(MoatTestHost host) => _host = host;

    public WebApplication Gateway => _host.Gateway;
    public Uri BaseUri => _host.BaseUri;
    public IServiceProvider Services => _host.Services;

    public Uri Console(string path = "") => new(BaseUri, "/console/" + path.TrimStart('/'));

    // Long outputs, so a served answer is a passage worth a provenance search.
    public static async Task<ConsoleTestHost> StartAsync() =>
        new(await MoatTestHost.StartAsync(b => b.ConfigureUpstream = o => o.MinWords = 90));

    /// <summary>An active organisation with one key; returns its id and the key's secret.</summary>
    public async Task<(string OrgId, string KeyId, string Secret)> CreateCustomerAsync(string name, string tier = "standard")
    {
        var org = await Services.GetRequiredService<OrganizationStore>().CreateAsync(name, tier, OrgState.Active);
        var key = await Services.GetRequiredService<ApiKeyStore>().CreateAsync(org.Id, "test") ?? throw new InvalidOperationException("organisation vanished");
        return (org.Id, key.Key.Id, key.Secret);
    }

    public HttpClient Http() => _host.Http();

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
