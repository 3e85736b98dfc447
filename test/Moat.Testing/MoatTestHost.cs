using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moat.Core.Access;
using Moat.Core.Ledger;
using Moat.Core.Quotas;
using Moat.Detection.Persistence;
using Moat.FakeUpstream;
using Moat.Server;
using Moat.Storage;
using Moat.Storage.Entities;
using OpenAI;

namespace Moat.Testing;

/// <summary>A real Moat host on loopback in front of one or more real fake upstreams, on a throwaway SQLite file.</summary>
public sealed class MoatTestHost : IAsyncDisposable
{
    public const string Model = "gpt-test";
    public const string OtherModel = "gpt-other";
    public const string AdminToken = "test-admin-token-0123456789abcdefghij";

    private readonly string _dataDir;

    private MoatTestHost(WebApplication gateway, IReadOnlyList<WebApplication> upstreams, string dataDir)
    {
        Gateway = gateway;
        Upstreams = upstreams;
        _dataDir = dataDir;
        BaseUri = new Uri(gateway.Urls.First());
    }

    public WebApplication Gateway { get; }

    /// <summary>The host's data directory (SQLite file, provenance index); offline commands point here.</summary>
    public string DataDir => _dataDir;

    /// <summary>The gateway's base URL, e.g. http://127.0.0.1:41234.</summary>
    public string Url => BaseUri.ToString().TrimEnd('/');
    public IReadOnlyList<WebApplication> Upstreams { get; }
    public Uri BaseUri { get; }
    public IServiceProvider Services => Gateway.Services;

    public static async Task<MoatTestHost> StartAsync(Action<MoatTestHostBuilder>? configure = null)
    {
        var builder = new MoatTestHostBuilder();
        configure?.Invoke(builder);
        var upstreams = new List<WebApplication>();
        var upstreamUrls = new List<string>();
        for (var i = 0; i < builder.UpstreamCount; i++)
        {
            var upstream = FakeUpstreamHost.Create(["--urls", "http://127.0.0.1:0"], builder.ConfigureUpstream);
            await upstream.StartAsync();
            upstreams.Add(upstream);
            upstreamUrls.Add(upstream.Urls.First() + "/v1");
        }
        upstreamUrls.AddRange(builder.ExtraUpstreamUrls);

        var dataDir = Path.Combine(Path.GetTempPath(), "moat-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dataDir);
        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0",
            $"--Moat:DataDir={dataDir}",
            $"--Moat:Admin:Token={AdminToken}",
            "--Logging:LogLevel:Default=Warning",
            // Many tests share a host and all come from loopback: a few deliberate bad tokens must not lock the rest
            // out. Tests of the back-off itself set their own limits.
            "--Moat:Admin:SignIn:MaxFailures=1000",
        };
        foreach (var (model, index) in new[] { Model, OtherModel }.Select((m, i) => (m, i)))
        {
            args.Add($"--Moat:Models:{index}:Id={model}");
            for (var u = 0; u < upstreamUrls.Count; u++)
            {
                args.Add($"--Moat:Models:{index}:Upstreams:{u}:BaseUrl={upstreamUrls[u]}");
            }
        }
        args.Add("--Moat:Tiers:restricted:AllowedModels:0=" + Model);
        foreach (var (key, value) in builder.Settings)
        {
            args.Add($"--{key}={value}");
        }
        var gateway = MoatApplication.Create([.. args], web =>
        {
            if (builder.Time is { } time)
            {
                web.Services.Replace(ServiceDescriptor.Singleton(time));
            }
            builder.ConfigureServices?.Invoke(web.Services);
        });
        await MoatApplication.PrepareAsync(gateway, TextWriter.Null);
        await gateway.StartAsync();
        // As a load balancer waits for /readyz: detection reads its checkpoints back before the host counts as ready.
        await gateway.Services.GetRequiredService<DetectionCheckpointer>().WhenRestoredAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new MoatTestHost(gateway, upstreams, dataDir);
    }

    /// <summary>An organisation in the given state with one key; returns its id and the key's secret.</summary>
    public async Task<Customer> CreateCustomerAsync(string tier = "standard", OrgState state = OrgState.Active, QuotaLimits? limits = null, string name = "Acme")
    {
        var orgs = Services.GetRequiredService<OrganizationStore>();
        var keys = Services.GetRequiredService<ApiKeyStore>();
        var org = await orgs.CreateAsync(name, tier, state);
        if (limits is not null)
        {
            await orgs.UpdateLimitsAsync(org.Id, limits);
        }
        var key = await keys.CreateAsync(org.Id, "test") ?? throw new InvalidOperationException("organisation vanished");
        return new Customer(org.Id, key.Key.Id, key.Secret);
    }

    public OpenAIClient OpenAi(string secret, bool retries = false)
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(BaseUri, "/v1") };
        if (!retries)
        {
            options.RetryPolicy = new ClientRetryPolicy(0);
        }
        return new OpenAIClient(new ApiKeyCredential(secret), options);
    }

    public HttpClient Http(string? secret = null)
    {
        var http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        if (secret is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }
        return http;
    }

    /// <summary>Waits until every ledger record queued so far is in the database, then reads an organisation's records.</summary>
    public async Task<List<UsageRecordEntity>> LedgerAsync(string orgId)
    {
        await FlushLedgerAsync();
        var contexts = Services.GetRequiredService<IDbContextFactory<MoatDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        return await db.UsageRecords.AsNoTracking().Where(r => r.OrgId == orgId).ToListAsync();
    }

    public async Task FlushLedgerAsync()
    {
        // Every answer is settled (its ledger record queued) before the client receives it; only the write is pending.
        await ((ChannelLedgerWriter)Services.GetRequiredService<ILedgerSink>()).WhenIdleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.StopAsync();
        await Gateway.DisposeAsync();
        foreach (var upstream in Upstreams)
        {
            await upstream.StopAsync();
            await upstream.DisposeAsync();
        }
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

public sealed record Customer(string OrgId, string KeyId, string Secret);

/// <summary>How a test wants its host: upstream count and behaviour, extra settings, a fake clock.</summary>
public sealed class MoatTestHostBuilder
{
    public int UpstreamCount { get; set; } = 1;
    public List<string> ExtraUpstreamUrls { get; } = [];
    public Dictionary<string, string> Settings { get; } = new();
    public TimeProvider? Time { get; set; }
    public Action<FakeUpstreamOptions>? ConfigureUpstream { get; set; }
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    public MoatTestHostBuilder Set(string key, object value)
    {
        Settings[key] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!;
        return this;
    }
}
