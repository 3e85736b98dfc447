using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moat.Core.Access;
using Moat.Core.Quotas;
using Moat.Detection;
using Moat.Detection.Enforcement;
using Moat.FakeUpstream;
using Moat.Server;
using Moat.Simulation;
using Moat.Simulation.Tenants;
using Moat.Simulation.Transport;
using Moat.Storage;

namespace Moat.Cli.Simulation;

/// <summary>What an HTTP simulation run measured beyond the detection outcome.</summary>
public sealed record HttpSimulationRun(
    SimulationResult Result,
    IReadOnlyDictionary<int, long> Statuses,
    int Organizations,
    int Keys,
    TimeSpan ProvisioningTime,
    long SettleTimeouts,
    int LedgerBacklog,
    TimeSpan LedgerDrainTime)
{
    public SimulationReport Report => new(Result, transport: "HTTP through the real gateway");

    /// <summary>The simulation report plus what the HTTP run adds (responses by status, provisioning, throughput).</summary>
    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var markdown = Report.ToMarkdown();
        var statuses = string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => string.Create(c, $"{s.Key}: {s.Value:N0}")));
        var perSecond = Result.TotalRequests / Math.Max(0.001, Result.WallClock.TotalSeconds);
        return markdown + string.Create(c, $"""
            ## HTTP run

            Every request went through the real pipeline — an in-process Moat host (`MoatApplication.Create`, SQLite in a temporary
            folder) in front of the fake upstream — as an OpenAI chat completion with the tenant's own key, user agent and (via
            `Moat:ForwardedHeaders:KnownProxies`, loopback) client address. The host's `TimeProvider` is the simulation's virtual clock, so rate
            limits, ledger timestamps and detection windows follow simulated time. Scores are read from `GET /admin/v1/risk/{"{org_id}"}`
            after the detection loop has processed every request sent so far.

            * {Organizations:N0} organisations and {Keys:N0} keys provisioned through `OrganizationStore`/`ApiKeyStore` in {ProvisioningTime.TotalSeconds:F1} s
              (tier `standard`, the tenant's tokens-per-minute limit as an override, requests-per-minute and tokens-per-day unlimited).
            * {Result.TotalRequests:N0} requests in {Result.WallClock.TotalSeconds:F1} s ({perSecond:N0} requests/s, one at a time in virtual-time order).
            * Responses by status: {statuses}. Waits for the detection loop that timed out: {SettleTimeouts}.
            * Ledger: {LedgerBacklog:N0} usage records were still queued when the traffic ended (the batched writer shares the
              cores with the gateway, the detection loop and the provenance indexer); writing them took {LedgerDrainTime.TotalSeconds:F1} s more.

            """);
    }
}

/// <summary>
/// `moat simulate` over HTTP: provisions the simulated population as real organisations and keys in an in-process
/// Moat host in front of the fake upstream, drives it through the model API on the simulation's virtual clock, and
/// reads scores from the admin API.
/// </summary>
public static class HttpSimulation
{
    public const string Tier = "standard";
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(5);

    public static async Task<HttpSimulationRun> RunAsync(
        SimulationScenario scenario, SimulationData data, TextWriter? progress = null, CancellationToken cancellationToken = default)
    {
        var start = InProcessSimulation.Start;
        var clock = new VirtualTimeProvider(start);
        var tenants = scenario.CreateTenants(data, start);
        var dataDir = Path.Combine(Path.GetTempPath(), "moat-simulate", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dataDir);
        try
        {
            await using var upstream = FakeUpstreamHost.Create(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Error"], o =>
            {
                o.MinWords = 20;
                o.MaxWords = 60;
            });
            await upstream.StartAsync(cancellationToken).ConfigureAwait(false);
            var upstreamUrl = upstream.Urls.First() + "/v1";
            var token = "moat-simulate-" + Guid.NewGuid().ToString("n");
            var release = start + TimeSpan.FromHours(scenario.ReleaseAfterHours);
            string[] args =
            [
                "--urls", "http://127.0.0.1:0",
                $"--Moat:DataDir={dataDir}",
                $"--Moat:Admin:Token={token}",
                $"--Moat:Models:0:Id={TenantContext.CurrentModel}",
                $"--Moat:Models:0:Upstreams:0:BaseUrl={upstreamUrl}",
                $"--Moat:Models:1:Id={TenantContext.NewModel}",
                $"--Moat:Models:1:Upstreams:0:BaseUrl={upstreamUrl}",
                $"--Moat:Models:1:ReleasedAt={release.ToString("O", CultureInfo.InvariantCulture)}",
                "--Moat:ForwardedHeaders:KnownProxies:0=127.0.0.1",
                "--Moat:ForwardedHeaders:KnownProxies:1=::1",
                "--Logging:LogLevel:Default=Error",
            ];
            await using var app = MoatApplication.Create(args, web =>
            {
                // The simulation's clock drives the host, and benchmark lookup knows only the tuning split (as in-process).
                web.Services.AddSingleton<TimeProvider>(clock);
                web.Services.AddSingleton(data.Index);
            });
            await MoatApplication.PrepareAsync(app, TextWriter.Null, cancellationToken).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await DriveAsync(app, scenario, tenants, clock, token, progress, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await upstream.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            TryDelete(dataDir);
        }
    }

    private static async Task<HttpSimulationRun> DriveAsync(
        WebApplication app, SimulationScenario scenario, IReadOnlyList<SimulatedTenant> tenants, VirtualTimeProvider clock, string token,
        TextWriter? progress, CancellationToken cancellationToken)
    {
        var provisioning = Stopwatch.StartNew();
        var (orgIds, secrets) = await ProvisionAsync(app.Services, tenants, cancellationToken).ConfigureAwait(false);
        provisioning.Stop();
        if (progress is not null)
        {
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Provisioned {orgIds.Count:N0} organisations and {secrets.Count:N0} keys in {provisioning.Elapsed.TotalSeconds:F1} s; sending traffic…")).ConfigureAwait(false);
        }

        var baseUri = new Uri(app.Urls.First() + "/");
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false };
        using var gateway = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
        using var admin = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var engine = app.Services.GetRequiredService<DetectionEngine>();
        var transport = new HttpSimulationTransport(gateway, secrets);
        long settleTimeouts = 0;
        async Task SettleAsync(CancellationToken ct)
        {
            try
            {
                await engine.WhenIdleAsync(ct).WaitAsync(SettleTimeout, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                settleTimeouts++;
            }
        }
        var reader = new HttpRiskReader(admin, orgIds, SettleAsync);
        var enforcement = app.Services.GetRequiredService<IOptions<EnforcementOptions>>().Value;
        var runner = new SimulationRunner(transport, reader, enforcement.WarnAt, enforcement.CaseAt);
        var result = await runner.RunAsync(scenario, tenants, clock, cancellationToken).ConfigureAwait(false);

        // Every served request has a ledger record: let the writer catch up before the host stops.
        var ledger = app.Services.GetRequiredService<ChannelLedgerWriter>();
        var backlog = ledger.QueueDepth;
        var draining = Stopwatch.StartNew();
        await ledger.WhenIdleAsync(cancellationToken).ConfigureAwait(false);
        return new HttpSimulationRun(result, transport.Statuses, orgIds.Count, secrets.Count, provisioning.Elapsed, settleTimeouts, backlog, draining.Elapsed);
    }

    /// <summary>One organisation per simulated org (tier, tokens-per-minute limit, use case, allow-listing) and one key per simulated key.</summary>
    private static async Task<(Dictionary<string, string> OrgIds, Dictionary<string, string> Secrets)> ProvisionAsync(
        IServiceProvider services, IReadOnlyList<SimulatedTenant> tenants, CancellationToken cancellationToken)
    {
        var organizations = services.GetRequiredService<OrganizationStore>();
        var keys = services.GetRequiredService<ApiKeyStore>();
        var orgIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var org in tenants.SelectMany(t => t.Orgs))
        {
            var created = await organizations.CreateAsync(org.OrgId, Tier, OrgState.Active, $"{org.OrgId}@sim.example", org.UseCase, cancellationToken).ConfigureAwait(false);
            // The tenant's own tokens-per-minute limit; no request or daily cap, as in the in-process run.
            await organizations.UpdateLimitsAsync(created.Id, new QuotaLimits(QuotaLimits.Unlimited, org.TokensPerMinute, QuotaLimits.Unlimited), cancellationToken).ConfigureAwait(false);
            if (org.AllowBenchmarks)
            {
                await organizations.SetAllowBenchmarksAsync(created.Id, true, cancellationToken).ConfigureAwait(false);
            }
            orgIds[org.OrgId] = created.Id;
            foreach (var keyId in org.KeyIds)
            {
                var key = await keys.CreateAsync(created.Id, keyId, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Organisation {created.Id} vanished while provisioning.");
                secrets[keyId] = key.Secret;
            }
        }
        return (orgIds, secrets);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; it is in the temp folder.
        }
    }
}
