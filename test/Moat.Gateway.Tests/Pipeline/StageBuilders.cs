using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Moat.Core.Access;
using Moat.Core.Changes;
using Moat.Core.Ledger;
using Moat.Core.Models;
using Moat.Core.Quotas;
using Moat.Gateway.Parsing;
using Moat.Gateway.Pipeline;
using Moat.Gateway.Pipeline.Admit;
using Moat.Gateway.Telemetry;

namespace Moat.Gateway.Tests.Pipeline;

/// <summary>Builders shared by the stage tests: keys, calls, admitted requests and the in-memory fakes the stages talk to.</summary>
internal static class Stage
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public const string Secret = "moat-sk-test-secret";

    public const string ChatBody = """{"model":"m","max_tokens":50,"messages":[{"role":"user","content":"Say hello to the world please"}]}""";

    public static FakeTimeProvider Clock() => new(Noon);

    public static KeyEntry Key(
        string secret = Secret, string orgId = "org_a", string keyId = "key_a", OrgState state = OrgState.Active,
        QuotaLimits? orgLimits = null, DateTimeOffset? revokedAt = null, DateTimeOffset? expiresAt = null) =>
        new(keyId, ApiKeySecret.Hash(secret), orgId, "Org " + orgId, state, "standard",
            orgLimits ?? new QuotaLimits(60, 100_000, 2_000_000), null, DefaultMaxTokens: 256, new TierOptions(), revokedAt, expiresAt);

    public static ModelCatalogOptions Catalog(params string[] upstreamBaseUrls) => WeightedCatalog([.. upstreamBaseUrls.Select(url => (url, 1))]);

    public static ModelCatalogOptions WeightedCatalog(params (string BaseUrl, int Weight)[] upstreams) => new()
    {
        Models =
        [
            new ModelOptions
            {
                Id = "m",
                Upstreams = upstreams.Length == 0
                    ? [new UpstreamOptions { BaseUrl = "http://127.0.0.1:1/v1" }]
                    : [.. upstreams.Select(u => new UpstreamOptions { BaseUrl = u.BaseUrl, Weight = u.Weight, ApiKey = "upstream-key" })],
            },
        ],
    };

    public static AdmittedRequest Admit(string json = ChatBody, KeyEntry? key = null, ModelEndpoint endpoint = ModelEndpoint.ChatCompletions)
    {
        var (admitted, _, refusal) = new Admission(Catalog(), new GatewayOptions()).Admit(Encoding.UTF8.GetBytes(json), endpoint, key ?? Key());
        Assert.Null(refusal);
        return admitted!;
    }

    public static DefaultHttpContext Context(string? authorization = null, string? userAgent = null)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }
        if (userAgent is not null)
        {
            context.Request.Headers.UserAgent = userAgent;
        }
        return context;
    }

    public static GatewayCall Call(
        KeyEntry? key = null, HttpContext? context = null, ModelEndpoint endpoint = ModelEndpoint.ChatCompletions,
        DateTimeOffset? startedAt = null, TimeProvider? time = null, string requestId = "req_test") =>
        new(context ?? Context(), endpoint, requestId, startedAt ?? Noon, (time ?? TimeProvider.System).GetTimestamp()) { Key = key };

    public static string ResponseText(HttpContext context) =>
        Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    public static GatewayMetrics Metrics() => new(new TestMeterFactory());

    private sealed class TestMeterFactory : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}

/// <summary>An in-memory key directory; <see cref="PutPending"/> queues a change that only a refresh applies.</summary>
internal sealed class FakeKeyDirectory : IKeyDirectory
{
    private readonly ConcurrentDictionary<string, KeyEntry> _byHash = new();
    private readonly ConcurrentDictionary<string, KeyEntry> _pending = new();

    public ConcurrentQueue<string> Refreshed { get; } = new();

    public FakeKeyDirectory(params KeyEntry[] keys)
    {
        foreach (var key in keys)
        {
            Put(key);
        }
    }

    public void Put(KeyEntry key) => _byHash[key.KeyHash] = key;

    public void Remove(KeyEntry key) => _byHash.TryRemove(key.KeyHash, out _);

    /// <summary>A change written to the database that this replica has not loaded yet.</summary>
    public void PutPending(KeyEntry key) => _pending[key.KeyHash] = key;

    public KeyEntry? FindByHash(string keyHash) => _byHash.TryGetValue(keyHash, out var key) ? key : null;

    public Task RefreshOrgAsync(string orgId, CancellationToken cancellationToken = default)
    {
        Refreshed.Enqueue(orgId);
        foreach (var (hash, key) in _pending)
        {
            if (key.OrgId == orgId && _pending.TryRemove(hash, out _))
            {
                Put(key);
            }
        }
        return Task.CompletedTask;
    }

    public Task RefreshAllAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>An in-process change feed: publishing runs every subscriber before it returns.</summary>
internal sealed class FakeChangeFeed : IChangeFeed
{
    private readonly List<Func<OrgChanged, CancellationToken, Task>> _handlers = [];

    public async Task PublishAsync(OrgChanged change, CancellationToken cancellationToken = default)
    {
        Func<OrgChanged, CancellationToken, Task>[] handlers;
        lock (_handlers)
        {
            handlers = [.. _handlers];
        }
        foreach (var handler in handlers)
        {
            await handler(change, cancellationToken);
        }
    }

    public IDisposable Subscribe(Func<OrgChanged, CancellationToken, Task> handler)
    {
        lock (_handlers)
        {
            _handlers.Add(handler);
        }
        return new Unsubscriber(this, handler);
    }

    private sealed class Unsubscriber(FakeChangeFeed feed, Func<OrgChanged, CancellationToken, Task> handler) : IDisposable
    {
        public void Dispose()
        {
            lock (feed._handlers)
            {
                feed._handlers.Remove(handler);
            }
        }
    }
}

/// <summary>Keeps every ledger record in order of writing.</summary>
internal sealed class RecordingLedger : ILedgerSink
{
    private readonly List<UsageRecord> _records = [];
    private readonly SemaphoreSlim _written = new(0);

    public IReadOnlyList<UsageRecord> Records
    {
        get
        {
            lock (_records)
            {
                return [.. _records];
            }
        }
    }

    public ValueTask WriteAsync(UsageRecord record, CancellationToken cancellationToken = default)
    {
        lock (_records)
        {
            _records.Add(record);
        }
        _written.Release();
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits for the next write (for the background flush), failing after a few seconds.</summary>
    public async Task WaitForWriteAsync()
    {
        Assert.True(await TryWaitForWriteAsync(TimeSpan.FromSeconds(10)), "no ledger write arrived");
    }

    public Task<bool> TryWaitForWriteAsync(TimeSpan timeout) => _written.WaitAsync(timeout);
}
