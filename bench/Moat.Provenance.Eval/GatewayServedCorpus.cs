using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Moat.Core.Access;
using Moat.Core.Quotas;
using Moat.FakeUpstream;
using Moat.Server;
using Moat.Provenance.Hosting;
using Moat.Storage;

namespace Moat.Provenance.Eval;

/// <summary>
/// The served side through the real gateway: one replaying fake upstream per served model (answering an instruction
/// with the recorded output), one Moat host in front of them, and the <see cref="AlpacaCorpus"/> org/key layout
/// recreated as real organisations and keys. Each served record's prompt is sent as a chat completion on its key; the
/// truth is what the gateway returned (its <c>x-request-id</c> and message content), and the host's own provenance
/// index — fed by the gateway's ingestor — is what the evaluation searches.
/// </summary>
public sealed class GatewayServedCorpus : IServedCorpus, IAsyncDisposable
{
    private const string AdminToken = "provenance-eval-admin-token-0123456789";
    private const string NoInputSuffix = "\n\n<no input>";

    private readonly AlpacaCorpus _inner;
    private readonly WebApplication _gateway;
    private readonly List<WebApplication> _upstreams;
    private readonly string _dataDir;
    private readonly int _limitPerGenerator;
    private readonly int _concurrency;
    private List<ServedRecord>? _served;

    private GatewayServedCorpus(AlpacaCorpus inner, WebApplication gateway, List<WebApplication> upstreams, string dataDir, int limitPerGenerator, int concurrency)
    {
        _inner = inner;
        _gateway = gateway;
        _upstreams = upstreams;
        _dataDir = dataDir;
        _limitPerGenerator = limitPerGenerator;
        _concurrency = concurrency;
    }

    /// <summary>Requests sent, and how many came back as anything but 200 with the recorded text.</summary>
    public int Requests { get; private set; }
    public int Failed { get; private set; }
    public int TextDiffers { get; private set; }

    /// <summary>Prompts whose "&lt;no input&gt;" placeholder was dropped (the replay keys those by the instruction alone).</summary>
    public int PlaceholderPrompts { get; private set; }

    public double ServeSeconds { get; private set; }
    public double DrainSeconds { get; private set; }

    public static async Task<GatewayServedCorpus> StartAsync(AlpacaCorpus inner, string dataDirectory, int limitPerGenerator = int.MaxValue, int concurrency = 8)
    {
        var upstreams = new List<WebApplication>();
        var args = new List<string>();
        var dataDir = Path.Combine(Path.GetTempPath(), "moat-prov-gateway-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        args.AddRange(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Moat:DataDir={dataDir}",
            $"--Moat:Admin:Token={AdminToken}",
            "--Logging:LogLevel:Default=Warning",
            // Harvesting is what these orgs do; enforcement would suspend them mid-run and the point here is the index.
            "--Moat:Detection:Enabled=false",
            "--Moat:Tiers:enterprise:RequestsPerMinute=1000000",
            "--Moat:Tiers:enterprise:TokensPerMinute=100000000000",
            "--Moat:Tiers:enterprise:TokensPerDay=100000000000",
            "--Moat:Tiers:enterprise:DefaultMaxTokens=16384",
            // Evaluation history spans far more than a live retention window would ever hold back.
            "--Moat:Provenance:RetentionDays=3650",
        ]);
        for (var i = 0; i < AlpacaCorpus.ServedGenerators.Length; i++)
        {
            var generator = AlpacaCorpus.ServedGenerators[i];
            // text-davinci-003's answers are Alpaca's outputs (no generator field: a null filter takes every record).
            var (file, filter) = generator == "text-davinci-003"
                ? (Path.Combine(dataDirectory, "outputs", "alpaca_outputs_dev.jsonl"), (string?)null)
                : (Path.Combine(dataDirectory, "outputs", "alpaca_eval_dev.jsonl"), generator);
            var upstream = FakeUpstreamHost.Create(["--urls", "http://127.0.0.1:0"], o =>
            {
                o.ReplayFile = file;
                o.ReplayGenerator = filter;
                o.Models = [generator];
            });
            await upstream.StartAsync();
            upstreams.Add(upstream);
            args.Add($"--Moat:Models:{i}:Id={generator}");
            args.Add($"--Moat:Models:{i}:Upstreams:0:BaseUrl={upstream.Urls.First()}/v1");
        }

        var gateway = MoatApplication.Create([.. args]);
        await MoatApplication.PrepareAsync(gateway, TextWriter.Null);
        await gateway.StartAsync();
        return new GatewayServedCorpus(inner, gateway, upstreams, dataDir, limitPerGenerator, concurrency);
    }

    public IServiceProvider Services => _gateway.Services;

    public IEnumerable<ServedRecord> Served() => _served ?? ServeAsync().GetAwaiter().GetResult();

    public IEnumerable<UnservedRecord> NeverServed() => _inner.NeverServed();

    /// <summary>Sends every served record through the gateway (once) and returns what it served.</summary>
    public async Task<List<ServedRecord>> ServeAsync()
    {
        if (_served is not null) return _served;

        var perGenerator = new Dictionary<string, int>();
        var plan = new List<ServedRecord>();
        foreach (var record in _inner.Served())
        {
            var n = perGenerator.GetValueOrDefault(record.Generator);
            if (n >= _limitPerGenerator) continue;
            perGenerator[record.Generator] = n + 1;
            plan.Add(record);
        }

        // The corpus's simulated organisations and keys become real ones (enterprise, large overrides).
        var orgs = Services.GetRequiredService<OrganizationStore>();
        var keys = Services.GetRequiredService<ApiKeyStore>();
        var orgIds = new Dictionary<string, string>();
        var secrets = new Dictionary<string, (string OrgId, string KeyId, string Secret)>();
        var unlimited = new QuotaLimits(1_000_000, 100_000_000_000, 100_000_000_000);
        foreach (var (org, key) in plan.Select(r => (r.Served.OrgId, r.Served.KeyId)).Distinct().OrderBy(p => p.KeyId, StringComparer.Ordinal))
        {
            if (!orgIds.TryGetValue(org, out var orgId))
            {
                var entity = await orgs.CreateAsync(org, "enterprise", OrgState.Active);
                await orgs.UpdateLimitsAsync(entity.Id, unlimited);
                orgIds[org] = orgId = entity.Id;
            }

            var created = await keys.CreateAsync(orgId, key) ?? throw new InvalidOperationException($"organisation {org} vanished");
            secrets[key] = (orgId, created.Key.Id, created.Secret);
        }

        using var http = new HttpClient { BaseAddress = new Uri(_gateway.Urls.First()), Timeout = TimeSpan.FromMinutes(2) };
        var results = new ServedRecord?[plan.Count];
        var failed = 0;
        var differs = 0;
        var placeholders = 0;
        var stopwatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Count), new ParallelOptions { MaxDegreeOfParallelism = _concurrency }, async (i, ct) =>
        {
            var record = plan[i];
            var account = secrets[record.Served.KeyId];
            var prompt = record.Served.Prompt ?? throw new InvalidOperationException("the corpus must carry prompts");
            if (prompt.EndsWith(NoInputSuffix, StringComparison.Ordinal))
            {
                prompt = prompt[..^NoInputSuffix.Length];
                Interlocked.Increment(ref placeholders);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = JsonContent.Create(new JsonObject
                {
                    ["model"] = record.Generator,
                    ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
                }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Secret);
            var servedAt = DateTimeOffset.UtcNow;
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode || !response.Headers.TryGetValues("x-request-id", out var ids))
            {
                Interlocked.Increment(ref failed);
                return;
            }

            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var text = body.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString() ?? "";
            if (text != record.Served.Text) Interlocked.Increment(ref differs);
            var served = new ServedText(account.OrgId, account.KeyId, ids.First(), record.Generator, servedAt, text) { Prompt = prompt };
            results[i] = new ServedRecord(served, record.SourceId, record.Generator, record.IsDev);
        });
        ServeSeconds = stopwatch.Elapsed.TotalSeconds;
        Requests = plan.Count;
        Failed = failed;
        TextDiffers = differs;
        PlaceholderPrompts = placeholders;
        _served = [.. results.OfType<ServedRecord>()];
        return _served;
    }

    /// <summary>
    /// For <see cref="AttributionEvaluation"/>: waits until the gateway's ingestor has indexed everything served, then
    /// hands over the host's index, borrowed (disposing it leaves the host's singleton alone).
    /// </summary>
    public IProvenanceIndex HostIndex(IReadOnlyList<ServedRecord> served)
    {
        var stopwatch = Stopwatch.StartNew();
        Services.GetRequiredService<ProvenanceIngestor>().WhenIdleAsync().GetAwaiter().GetResult();
        DrainSeconds = stopwatch.Elapsed.TotalSeconds;
        var index = Services.GetRequiredService<IProvenanceIndex>();
        if (index.Count < served.Count)
        {
            Console.Error.WriteLine($"warning: the host's index holds {index.Count:N0} entries for {served.Count:N0} served outputs");
        }

        return new BorrowedIndex(index);
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.StopAsync();
        await _gateway.DisposeAsync();
        foreach (var upstream in _upstreams)
        {
            await upstream.StopAsync();
            await upstream.DisposeAsync();
        }

        try { Directory.Delete(_dataDir, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>Someone else's index: searchable, but <see cref="Dispose"/> does not close it.</summary>
public sealed class BorrowedIndex(IProvenanceIndex inner) : IProvenanceIndex
{
    public IProvenanceIndex Inner => inner;

    public long Count => inner.Count;

    public void Add(ServedText served) => inner.Add(served);

    public void Flush() => inner.Flush();

    public ProvenanceResult Search(string text, int limit = 10) => inner.Search(text, limit);

    public IReadOnlyList<ProvenanceMatch> Rank(string text, int limit, double minScore) => inner.Rank(text, limit, minScore);

    public void Dispose()
    {
    }
}
