using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moat.Core.Access;
using Moat.Core.Models;
using Moat.Core.Quotas;
using Moat.Core.Signals;
using Moat.Gateway.Pipeline;
using Moat.Gateway.Pipeline.Admit;
using Moat.Gateway.Pipeline.Authenticate;
using Moat.Gateway.Pipeline.Enforcement;
using Moat.Gateway.Pipeline.Forward;
using Moat.Gateway.Pipeline.Limit;
using Moat.Gateway.Pipeline.Models;
using Moat.Gateway.Pipeline.Settle;
using Moat.Gateway.Tokens;
using Moat.Gateway.Upstreams;

namespace Moat.Gateway.Tests.Pipeline;

/// <summary>GET /v1/models through the handler's frame: the tier's models, refusals charged, nothing reserved.</summary>
public sealed class ModelsEndpointTests : IDisposable
{
    private readonly FakeTimeProvider _clock = Stage.Clock();
    private readonly FakeKeyDirectory _keys = new();
    private readonly RecordingLedger _ledger = new();
    private readonly UpstreamHttpClient _client;
    private readonly ModelsEndpoint _endpoint;

    public ModelsEndpointTests()
    {
        var options = new GatewayOptions();
        var catalog = new ModelCatalogOptions
        {
            Models =
            [
                new ModelOptions { Id = "m1", ReleasedAt = Stage.Noon.AddDays(-1), Upstreams = [new UpstreamOptions { BaseUrl = "http://127.0.0.1:1/v1" }] },
                new ModelOptions { Id = "m2", Upstreams = [new UpstreamOptions { BaseUrl = "http://127.0.0.1:1/v1" }] },
                new ModelOptions { Id = "m3", Upstreams = [new UpstreamOptions { BaseUrl = "http://127.0.0.1:1/v1" }] },
            ],
        };
        var metrics = Stage.Metrics();
        var quota = new QuotaGate(new InProcessRateLimiter(_clock), metrics, NullLogger<QuotaGate>.Instance);
        _client = new UpstreamHttpClient(Options.Create(options));
        var forwarder = new UpstreamForwarder(
            new UpstreamSelector(Options.Create(catalog), Options.Create(options), _clock), _client,
            new InFlightCalls(new FakeChangeFeed(), _keys, _clock, NullLogger<InFlightCalls>.Instance), options, metrics, NullLogger<UpstreamForwarder>.Instance);
        var settlement = new Settlement(quota, _ledger, new RefusalSummarizer(_ledger, _clock), Array.Empty<IServedOutputSink>(), Array.Empty<IRequestFeatureSink>(),
            new TokenCounter(), _clock, metrics);
        var handler = new ModelApiHandler(new BearerAuthenticator(_keys), new Admission(catalog, options), quota, forwarder, settlement,
            Options.Create(options), _clock, NullLogger<ModelApiHandler>.Instance);
        _endpoint = new ModelsEndpoint(handler, quota, Options.Create(catalog));
    }

    public void Dispose() => _client.Dispose();

    private KeyEntry AddKey(OrgState state = OrgState.Active, params string[] allowedModels)
    {
        var key = Stage.Key(state: state, orgLimits: new QuotaLimits(10, 1000, null)) with { TierOptions = new TierOptions { AllowedModels = [.. allowedModels] } };
        _keys.Put(key);
        return key;
    }

    private async Task<(int Status, JsonElement Body, Microsoft.AspNetCore.Http.HttpResponse Response)> GetAsync(string? modelId, string authorization = "Bearer " + Stage.Secret)
    {
        var context = Stage.Context(authorization);

        await _endpoint.HandleAsync(context, modelId);

        var text = Stage.ResponseText(context);
        return (context.Response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), context.Response);
    }

    [Fact]
    public async Task HandleAsync_List_OnlyTheTiersModelsInListShape()
    {
        AddKey(allowedModels: ["m1", "m3"]);

        var (status, body, response) = await GetAsync(null);

        Assert.Equal(200, status);
        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal(["m1", "m3"], body.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        var m1 = body.GetProperty("data")[0];
        Assert.Equal("model", m1.GetProperty("object").GetString());
        Assert.Equal(Stage.Noon.AddDays(-1).ToUnixTimeSeconds(), m1.GetProperty("created").GetInt64());
        Assert.StartsWith("req_", response.Headers["x-request-id"].ToString());
    }

    [Fact]
    public async Task HandleAsync_ListTwice_ReservesNoQuota()
    {
        AddKey();

        await GetAsync(null);
        var (_, body, response) = await GetAsync(null);

        Assert.Equal(3, body.GetProperty("data").GetArrayLength()); // empty allow-list: every model
        Assert.Equal("10", response.Headers["x-ratelimit-remaining-requests"].ToString());
        Assert.Equal(2, _ledger.Records.Count(r => r.Status == 200 && r.Endpoint == "/models"));
    }

    [Fact]
    public async Task HandleAsync_OneModel_ItsObject()
    {
        AddKey(allowedModels: ["m2"]);

        var (status, body, _) = await GetAsync("m2");

        Assert.Equal(200, status);
        Assert.Equal("m2", body.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("m2")]      // outside the tier
    [InlineData("missing")] // not configured
    public async Task HandleAsync_ModelNotVisible_404ChargedOneRequest(string modelId)
    {
        AddKey(allowedModels: ["m1"]);

        var (status, body, response) = await GetAsync(modelId);

        Assert.Equal(404, status);
        Assert.Equal("model_not_found", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("9", response.Headers["x-ratelimit-remaining-requests"].ToString());
    }

    [Fact]
    public async Task HandleAsync_SuspendedOrg_403AndRecorded()
    {
        AddKey(state: OrgState.Suspended);

        var (status, body, _) = await GetAsync(null);

        Assert.Equal(403, status);
        Assert.Equal("account_suspended", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("account_suspended", Assert.Single(_ledger.Records).ErrorCode);
    }

    [Fact]
    public async Task HandleAsync_NoKey_401AndNothingRecorded()
    {
        AddKey();

        var (status, body, _) = await GetAsync(null, authorization: "");

        Assert.Equal(401, status);
        Assert.Equal("invalid_api_key", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(_ledger.Records);
    }
}
