using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Moat.FakeUpstream;
using Xunit.Abstractions;

namespace Moat.Functional.Tests;

/// <summary>
/// "Nothing answered goes unrecorded": a real server process is killed with SIGKILL under load and restarted on the
/// same data directory; every request whose client got a complete 200 must then have exactly one ledger row.
/// </summary>
[Trait("Category", "Kill")]
public sealed class LedgerKillTests(ITestOutputHelper output)
{
    private const string AdminToken = "kill-test-admin-token-0123456789";
    private const string Model = "gpt-test";
    private const int Workers = 32;

    [Theory]
    [InlineData("Wal", true)]
    [InlineData("WalBuffered", true)]
    // Memory durability may lose what its queue held; the run measures how much and still checks for duplicates.
    [InlineData("Memory", false)]
    public async Task KillNine_MidLoad_EveryAnsweredRequestHasExactlyOneLedgerRow(string durability, bool expectNoLoss)
    {
        await using var upstream = FakeUpstreamHost.Create(["--urls", "http://127.0.0.1:0"]);
        await upstream.StartAsync();
        var dataDir = Path.Combine(Path.GetTempPath(), "moat-kill-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dataDir);
        try
        {
            string orgId;
            var answered = new ConcurrentBag<string>();
            var refusals = new ConcurrentQueue<string>();
            using (var server = await ServerProcess.StartAsync(dataDir, upstream.Urls.First() + "/v1", durability))
            {
                var (org, secret) = await OnboardAsync(server.Http);
                orgId = org;

                using var load = new CancellationTokenSource();
                var workers = Enumerable.Range(0, Workers).Select(_ => RunWorkerAsync(server.BaseUri, secret, answered, refusals, load.Token)).ToArray();
                // The first answers wait for JIT compilation in a cold process; the kill comes under steady load.
                var warming = Stopwatch.StartNew();
                while (answered.Count < Workers && warming.Elapsed < TimeSpan.FromSeconds(20))
                {
                    await Task.Delay(20);
                }
                var loaded = Stopwatch.StartNew();
                var before = answered.Count;
                while (answered.Count - before < 2_000 && loaded.Elapsed < TimeSpan.FromSeconds(3))
                {
                    await Task.Delay(20);
                }
                server.Kill();
                await load.CancelAsync();
                await Task.WhenAll(workers);
            }

            using (await ServerProcess.StartAsync(dataDir, upstream.Urls.First() + "/v1", durability))
            {
                // The restarted server replays its write-ahead log before it listens, so the rows are there now.
                var rows = await LedgerRowsAsync(dataDir, orgId);
                var missing = answered.Where(id => !rows.ContainsKey(id)).ToList();
                var duplicated = rows.Where(r => r.Value > 1).Select(r => r.Key).ToList();
                output.WriteLine($"durability={durability} answered={answered.Count} recorded={answered.Count - missing.Count} " +
                    $"missing={missing.Count} duplicated={duplicated.Count} rows={rows.Values.Sum()}");

                Assert.True(answered.Count > 100, $"too little load before the kill ({answered.Count} answered); other answers: {string.Join(" | ", refusals.Take(3))}");
                Assert.Empty(duplicated);
                if (expectNoLoss)
                {
                    Assert.True(missing.Count == 0, $"{missing.Count} of {answered.Count} answered requests have no ledger row, e.g. {string.Join(", ", missing.Take(5))}");
                }
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
            }
        }
    }

    /// <summary>Sends chat completions until cancelled or the server dies; records the id of every complete 200.</summary>
    private static async Task RunWorkerAsync(Uri baseUri, string secret, ConcurrentBag<string> answered, ConcurrentQueue<string> refusals, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var body = new { model = Model, messages = new[] { new { role = "user", content = "Say something short." } }, max_tokens = 16 };
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var response = await http.PostAsJsonAsync("/v1/chat/completions", body, CancellationToken.None);
                var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK
                    && response.Headers.TryGetValues("x-request-id", out var ids)
                    && JsonDocument.Parse(text).RootElement.TryGetProperty("choices", out _))
                {
                    answered.Add(ids.First());
                }
                else if (refusals.Count < 10)
                {
                    refusals.Enqueue($"{(int)response.StatusCode} {text}");
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException or JsonException)
            {
                // The server was killed mid-request: that request was never answered.
                if (refusals.Count < 10)
                {
                    refusals.Enqueue(exception.GetType().Name + ": " + exception.Message);
                }
                return;
            }
        }
    }

    private static async Task<(string OrgId, string Secret)> OnboardAsync(HttpClient http)
    {
        var application = await ReadJsonAsync(await http.PostAsJsonAsync("/portal/v1/applications", new Dictionary<string, object>
        {
            ["organization_name"] = "Kill Test Ltd",
            ["contact_email"] = "ops@kill.example.com",
            ["intended_use"] = "Measuring that no answered request goes unrecorded.",
            ["use_case_category"] = "chatbot",
            ["expected_monthly_tokens"] = 5_000_000,
            ["terms_version"] = "2026-01",
        }));
        var approved = await ReadJsonAsync(await http.PostAsJsonAsync($"/admin/v1/applications/{application.GetProperty("id").GetString()}/approve",
            new { tier = "enterprise", reason = "kill test" }));
        var orgId = approved.GetProperty("org_id").GetString()!;
        await ReadJsonAsync(await http.PutAsJsonAsync($"/admin/v1/organizations/{orgId}/limits",
            new { requests_per_minute = 10_000_000, tokens_per_minute = 1_000_000_000, tokens_per_day = 10_000_000_000, reason = "kill test: no throttling" }));
        var key = await ReadJsonAsync(await http.PostAsJsonAsync($"/admin/v1/organizations/{orgId}/keys", new { name = "load" }));
        return (orgId, key.GetProperty("key").GetString()!);
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    private static async Task<Dictionary<string, int>> LedgerRowsAsync(string dataDir, string orgId)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "moat.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT request_id, COUNT(*) FROM usage_records WHERE org_id = $org GROUP BY request_id";
        command.Parameters.AddWithValue("$org", orgId);
        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = reader.GetInt32(1);
        }
        return rows;
    }

    /// <summary>`moat serve` in a child process on a free loopback port.</summary>
    private sealed class ServerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _log = new();

        private ServerProcess(Process process, Uri baseUri)
        {
            _process = process;
            BaseUri = baseUri;
            Http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
            Http.DefaultRequestHeaders.Add("X-Moat-Actor", "kill-test");
        }

        public Uri BaseUri { get; }

        public HttpClient Http { get; }

        public static async Task<ServerProcess> StartAsync(string dataDir, string upstreamUrl, string durability)
        {
            // A port found free can be taken by another test's listener before the server binds it (the server then
            // exits): try another port.
            for (var attempt = 1; ; attempt++)
            {
                var server = Start(dataDir, upstreamUrl, durability);
                if (await server.WaitUntilReadyAsync() || attempt == 3)
                {
                    return server.Ready ? server : throw new InvalidOperationException($"the server did not become ready:{Environment.NewLine}{string.Join(Environment.NewLine, server._log)}");
                }
                server.Dispose();
            }
        }

        private bool Ready { get; set; }

        private static ServerProcess Start(string dataDir, string upstreamUrl, string durability)
        {
            var baseUri = new Uri($"http://127.0.0.1:{FreePort()}");
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                Path.Combine(AppContext.BaseDirectory, "moat.dll"), "serve",
                "--urls", baseUri.ToString().TrimEnd('/'),
                $"--Moat:DataDir={dataDir}",
                $"--Moat:Admin:Token={AdminToken}",
                $"--Moat:Models:0:Id={Model}",
                $"--Moat:Models:0:Upstreams:0:BaseUrl={upstreamUrl}",
                $"--Moat:Ledger:Durability={durability}",
                "--Logging:LogLevel:Default=Warning",
            })
            {
                start.ArgumentList.Add(argument);
            }
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server process");
            var server = new ServerProcess(process, baseUri);
            process.OutputDataReceived += (_, e) => server.Remember(e.Data);
            process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return server;
        }

        /// <summary>SIGKILL on Linux: no shutdown hooks, no draining.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                Kill();
            }
            Http.Dispose();
            _process.Dispose();
        }

        private void Remember(string? line)
        {
            if (line is null)
            {
                return;
            }
            _log.Enqueue(line);
            while (_log.Count > 50 && _log.TryDequeue(out _))
            {
            }
        }

        /// <summary>
        /// True once Moat's own /readyz answers 200 (the write-ahead log replayed, detection restored); false when the
        /// process exited first. Another listener on the port answers /readyz with something else, which is not ready.
        /// </summary>
        private async Task<bool> WaitUntilReadyAsync()
        {
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < TimeSpan.FromSeconds(30) && !_process.HasExited)
            {
                try
                {
                    using var response = await Http.GetAsync("/readyz");
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Ready = true;
                        return true;
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    // not listening yet
                }
                await Task.Delay(100);
            }
            return false;
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
