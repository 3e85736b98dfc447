using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moat.Cli.Tests.Infrastructure;
using Moat.Core.Access;
using Moat.Server;
using Moat.Storage;
using Npgsql;
using Xunit.Abstractions;

namespace Moat.Cli.Tests;

/// <summary>
/// A real `moat serve` process, driven over the admin API through a warn/reinstate loop, is killed with SIGKILL at random
/// moments; after each kill the database must agree with itself: the organisation's state is the target state of its
/// last state-change audit entry, and the audit chain verifies (docs/decisions/0003).
/// </summary>
[Trait("Category", "Kill")]
public sealed class KillTests(ITestOutputHelper output)
{
    private const int Trials = 10;
    private const string Token = "kill-test-admin-token-0123456789abcdef";

    private static string? Postgres => Environment.GetEnvironmentVariable("MOAT_TEST_POSTGRES");
    private static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    // MOAT_KILL_TEST_MOAT: another build's moat.dll to run the same trials against (e.g. one from before the fix).
    private static string MoatDll => Environment.GetEnvironmentVariable("MOAT_KILL_TEST_MOAT") is { Length: > 0 } other
        ? other
        : Path.Combine(AppContext.BaseDirectory, "moat.dll");

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task WarnReinstateLoop_ServerKilledAtRandomMoments_StateMatchesLastAuditEntryAndChainVerifies(string provider)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "moat-kill-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dataDir);
        List<string> storage = [$"--Moat:DataDir={dataDir}"];
        string? database = null;
        if (provider == "Postgres")
        {
            if (Postgres is null)
            {
                Assert.False(InCi, "MOAT_TEST_POSTGRES must be set under CI (test.sh starts PostgreSQL).");
                return;
            }
            database = "moat_kill_" + Guid.NewGuid().ToString("n")[..12];
            await using (var connection = new NpgsqlConnection(Postgres))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
                await create.ExecuteNonQueryAsync();
            }
            storage.Add("--Moat:Storage:Provider=Postgres");
            storage.Add($"--Moat:Storage:ConnectionString={new NpgsqlConnectionStringBuilder(Postgres) { Database = database }.ConnectionString}");
        }
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"{provider}, seed {seed}, data dir {dataDir}, server {MoatDll}");
        string? orgId = null;
        var totalApplied = 0;
        Task<(Process Server, HttpClient Admin, long StartedMs)>? next = null;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            // Start-up dominates a trial, so the next server starts while this one runs; it waits for the ledger write-ahead
            // lock on the shared data directory, as a restart's new process does, and takes over once this one is killed.
            next = StartServerAsync(storage);
            for (var trial = 1; trial <= Trials; trial++)
            {
                var (server, admin, started) = await next!;
                using var _ = server;
                using var __ = admin;
                orgId ??= await ApprovedOrganizationAsync(admin);
                next = trial < Trials ? StartServerAsync(storage) : null;

                // Two loops race each other (409s are expected); the kill lands while requests are in flight.
                var applied = 0;
                var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
                var firstApplied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using var stop = new CancellationTokenSource();
                var loops = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        foreach (var action in new[] { "warn", "reinstate" })
                        {
                            try
                            {
                                using var response = await admin.PostAsJsonAsync(
                                    $"/admin/v1/organizations/{orgId}/{action}", new { reason = "kill test" }, stop.Token);
                                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                                if (response.StatusCode == HttpStatusCode.OK)
                                {
                                    Interlocked.Increment(ref applied);
                                    firstApplied.TrySetResult();
                                }
                            }
                            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                            {
                                return; // the server is gone
                            }
                        }
                    }
                })).ToArray();

                // Kill at a random moment once the loop is really running (the first request of a fresh process is slow).
                await firstApplied.Task.WaitAsync(TimeSpan.FromSeconds(20));
                var delay = random.Next(0, 400);
                await Task.Delay(delay);
                server.Kill(); // SIGKILL on Unix: no shutdown, no flush, no finally blocks
                await server.WaitForExitAsync();
                await stop.CancelAsync();
                await Task.WhenAll(loops);
                totalApplied += applied;

                var (state, lastTarget, verification) = await InspectAsync(storage, orgId);
                output.WriteLine($"trial {trial}: started in {started} ms, killed {delay} ms after the first transition, {applied} transitions answered 200 ({string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"))}); state {state.ToWire()}, last audit target {lastTarget}, chain valid {verification.Valid} ({verification.Entries} entries)");
                Assert.True(verification.Valid, $"trial {trial}: audit chain broken at seq {verification.FirstBrokenSeq}");
                Assert.Equal(lastTarget, state.ToWire());
            }
            output.WriteLine($"{provider}: {Trials} trials, {totalApplied} transitions answered 200, {stopwatch.Elapsed.TotalSeconds:F1} s");
            Assert.True(totalApplied > Trials, $"the loop barely ran ({totalApplied} transitions in {Trials} trials): the kills proved nothing");

            var verify = await CliRun.InvokeAsync(["audit", "verify", .. storage]);
            Assert.True(verify.ExitCode == 0, verify.ToString());
        }
        finally
        {
            // A failed trial must not leave the pre-started server behind.
            if (next is not null)
            {
                try
                {
                    var (spare, spareAdmin, _) = await next;
                    spare?.Kill();
                    spare?.Dispose();
                    spareAdmin?.Dispose();
                }
                catch (Exception e) when (e is TimeoutException or InvalidOperationException or Xunit.Sdk.XunitException)
                {
                    // it never started
                }
            }
            if (database is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await using var connection = new NpgsqlConnection(Postgres);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
                // a leftover temp directory is not a test failure
            }
        }
    }

    private static async Task<(Process Server, HttpClient Admin, long StartedMs)> StartServerAsync(List<string> storage)
    {
        var port = FreePort();
        var server = StartServer(storage, port);
        var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var starting = Stopwatch.StartNew();
        await WaitUntilServingAsync(admin, server);
        return (server, admin, starting.ElapsedMilliseconds);
    }

    private static Process StartServer(List<string> storage, int port)
    {
        var moat = MoatDll;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            "exec", moat, "serve", "--urls", $"http://127.0.0.1:{port}",
            .. storage,
            $"--Moat:Admin:Token={Token}",
            "--Moat:Models:0:Id=gpt-kill",
            "--Moat:Models:0:Upstreams:0:BaseUrl=http://127.0.0.1:9/v1",
            "--Moat:Detection:Enabled=false",
            "--Logging:LogLevel:Default=Error",
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("MOAT_ADMIN_TOKEN");
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start moat");
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Logs.Add(process, log);
        process.OutputDataReceived += (_, e) => Keep(log, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // The last lines each server wrote, so a server that dies on start says why in the failure message.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Process, System.Collections.Concurrent.ConcurrentQueue<string>> Logs = [];

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> log, string? line)
    {
        if (line is null)
        {
            return;
        }
        log.Enqueue(line);
        while (log.Count > 60 && log.TryDequeue(out _))
        {
        }
    }

    private static async Task WaitUntilServingAsync(HttpClient admin, Process server)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (server.HasExited)
            {
                await server.WaitForExitAsync(); // drains the output readers
                var said = Logs.TryGetValue(server, out var log) ? string.Join('\n', log) : "";
                Assert.Fail($"moat serve exited with {server.ExitCode} before serving:\n{said}");
            }
            try
            {
                using var response = await admin.GetAsync("/readyz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("moat serve did not become ready in 30 s");
    }

    private static async Task<string> ApprovedOrganizationAsync(HttpClient admin)
    {
        using var applied = await admin.PostAsJsonAsync("/portal/v1/applications", new
        {
            organization_name = "Kill Test Ltd",
            contact_email = "ops@kill.test",
            intended_use = "Exercising enforcement while the server is killed.",
            use_case_category = "coding",
            expected_monthly_tokens = 1000,
            terms_version = "2026-01",
        });
        Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        var id = (await applied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using var approved = await admin.PostAsJsonAsync($"/admin/v1/applications/{id}/approve", new { tier = "standard", reason = "kill test" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        return (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("org_id").GetString()!;
    }

    // Opens the database the way `moat audit verify` does: the server's composition, never started.
    private static async Task<(OrgState State, string? LastTarget, AuditVerification Verification)> InspectAsync(List<string> storage, string orgId)
    {
        await using var app = MoatApplication.Create([.. storage, "--Logging:LogLevel:Default=Warning"]);
        var organization = await app.Services.GetRequiredService<OrganizationStore>().FindAsync(orgId)
            ?? throw new InvalidOperationException("the organisation vanished");
        var audit = app.Services.GetRequiredService<AuditLog>();
        string? lastTarget = null;
        string? cursor = null;
        do
        {
            var page = await audit.ListAsync(cursor, AuditLog.MaxPageSize, new AuditQuery(Subject: orgId));
            foreach (var entry in page.Data)
            {
                using var payload = JsonDocument.Parse(entry.PayloadJson);
                if (entry.Action.StartsWith("org.", StringComparison.Ordinal) && entry.Action is not ("org.tier" or "org.limits")
                    && payload.RootElement.ValueKind == JsonValueKind.Object
                    && payload.RootElement.TryGetProperty("to", out var to)
                    && to.ValueKind == JsonValueKind.String)
                {
                    lastTarget = to.GetString();
                    break;
                }
            }
            cursor = lastTarget is null ? page.NextCursor : null;
        }
        while (cursor is not null);
        // Approval creates the organisation active, with no state-change entry.
        return (organization.State, lastTarget ?? "active", await audit.VerifyAsync());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
