using Moat.Core.Access;
using Moat.Core.Ledger;
using Moat.Storage.Entities;

namespace Moat.Storage.Tests.Infrastructure;

/// <summary>Arranges organisations with keys in a few words.</summary>
public sealed class OrgBuilder(StorageHarness harness)
{
    private string _name = "Acme Research";
    private string _tier = "standard";
    private OrgState _state = OrgState.Active;

    public OrgBuilder Named(string name)
    {
        _name = name;
        return this;
    }

    public OrgBuilder OnTier(string tier)
    {
        _tier = tier;
        return this;
    }

    public OrgBuilder InState(OrgState state)
    {
        _state = state;
        return this;
    }

    public Task<OrganizationEntity> CreateAsync() =>
        harness.Organizations.CreateAsync(_name, _tier, _state, "ops@acme.test", "research");

    /// <summary>The organisation and one key with its secret.</summary>
    public async Task<(OrganizationEntity Org, CreatedApiKey Key)> CreateWithKeyAsync()
    {
        var org = await CreateAsync();
        var key = await harness.Keys.CreateAsync(org.Id, "default") ?? throw new InvalidOperationException("key not created");
        return (org, key);
    }
}

/// <summary>Usage records with sensible defaults.</summary>
public sealed record UsageRecordBuilder(string OrgId, string KeyId, DateTimeOffset Timestamp)
{
    public string Model { get; init; } = "moat-small";
    public int Status { get; init; } = 200;
    public long PromptTokens { get; init; } = 10;
    public long CompletionTokens { get; init; } = 20;
    public int Attempts { get; init; } = 1;

    public UsageRecord Build(string? requestId = null) => new()
    {
        RequestId = requestId ?? "req_" + Guid.NewGuid().ToString("N"),
        OrgId = OrgId,
        KeyId = KeyId,
        Endpoint = "/v1/chat/completions",
        Model = Model,
        PromptTokens = PromptTokens,
        CompletionTokens = CompletionTokens,
        Status = Status,
        ErrorCode = Status >= 400 ? "upstream_error" : null,
        Upstream = "http://upstream.test/v1",
        LatencyMs = 12.5,
        Timestamp = Timestamp,
        ClientIp = "203.0.113.7",
        UserAgent = "OpenAI/NET 2.15",
        UsageSource = Status < 400 ? UsageSources.Upstream : null,
        Attempts = Attempts,
    };
}

public static class HarnessExtensions
{
    public static OrgBuilder AnOrg(this StorageHarness harness) => new(harness);
}
