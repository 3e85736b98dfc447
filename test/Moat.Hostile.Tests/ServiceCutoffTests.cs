using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Moat.Hostile.Tests.Infrastructure;
using Moat.Testing;

namespace Moat.Hostile.Tests;

/// <summary>Row 5: a suspended organisation (or a revoked key) must not keep an open stream running.</summary>
[Collection(Serial.Name)]
public sealed class ServiceCutoffTests
{
    private const string M = MoatTestHost.Model;

    /// <summary>Reads the SSE data lines of one open stream in the background and notes when it ends.</summary>
    private sealed class StreamWatcher
    {
        private readonly List<(long At, string Data)> _events = [];
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public Task Completion { get; private set; } = Task.CompletedTask;
        public long EndedAt { get; private set; } = -1;

        public List<(long At, string Data)> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public long Now => _clock.ElapsedMilliseconds;

        public void Start(Stream body) => Completion = Task.Run(async () =>
        {
            using var reader = new StreamReader(body, Encoding.UTF8);
            try
            {
                string? line;
                while ((line = await reader.ReadLineAsync()) is not null)
                {
                    if (line.StartsWith("data:", StringComparison.Ordinal))
                    {
                        lock (_events)
                        {
                            _events.Add((Now, line["data:".Length..].Trim()));
                        }
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (HttpRequestException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
            EndedAt = Now;
        });
    }

    private static async Task<(HttpResponseMessage Response, StreamWatcher Watcher)> OpenLongStreamAsync(MoatTestHost host, string secret, HttpClient http)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("{\"model\":\"" + M + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Talk forever.\"}]}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        var watcher = new StreamWatcher();
        watcher.Start(await response.Content.ReadAsStreamAsync());
        for (var waited = 0; watcher.Events.Count < 3 && waited < 5000; waited += 20)
        {
            await Task.Delay(20);
        }
        Assert.True(watcher.Events.Count >= 3, "the long stream did not start");
        return (response, watcher);
    }

    /// <summary>Asserts the stream ended within a second of <paramref name="cutAt"/> with an error event; returns its code.</summary>
    private static async Task<string> AssertCutWithErrorAsync(StreamWatcher watcher, long cutAt, string what)
    {
        var ended = await Task.WhenAny(watcher.Completion, Task.Delay(5000)) == watcher.Completion;
        Assert.True(ended, $"the stream was still running 5 s after {what} ({watcher.Events.Count} events so far)");
        var took = watcher.EndedAt - cutAt;
        Assert.True(took <= 1000, $"the stream ended {took} ms after {what}; the contract says within one second");
        var errors = watcher.Events
            .Where(e => e.Data.StartsWith('{'))
            .Select(e => JsonDocument.Parse(e.Data).RootElement)
            .Where(e => e.TryGetProperty("error", out _))
            .ToList();
        Assert.True(errors.Count > 0, $"the stream ended after {what} without an error event; last events: {string.Join(" | ", watcher.Events.TakeLast(3).Select(e => e.Data))}");
        var last = watcher.Events.Last(e => e.Data != "[DONE]");
        Assert.Contains("\"error\"", last.Data, StringComparison.Ordinal);
        var error = errors[^1].GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        return error.GetProperty("code").GetString() ?? "";
    }

    [Fact]
    public async Task Row05_SuspendDuringStream_StreamEndsWithinOneSecondWithAccountSuspended()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(ScriptedUpstream.StreamWithoutUsage(chunks: 600, delayMs: 50));
        await using var host = await Hosts.InFrontOfAsync(upstream);
        var customer = await host.CreateCustomerAsync();
        using var admin = new AdminClient(host);
        using var http = host.Http();
        var (response, watcher) = await OpenLongStreamAsync(host, customer.Secret, http);
        using (response)
        {
            await admin.SuspendAsync(customer.OrgId);
            var cutAt = watcher.Now;

            var code = await AssertCutWithErrorAsync(watcher, cutAt, "the suspension");

            Assert.Equal("account_suspended", code);
        }
    }

    [Fact]
    public async Task Row05_RevokeKeyDuringStream_StreamEndsWithinOneSecondWithError()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(ScriptedUpstream.StreamWithoutUsage(chunks: 600, delayMs: 50));
        await using var host = await Hosts.InFrontOfAsync(upstream);
        var customer = await host.CreateCustomerAsync();
        using var admin = new AdminClient(host);
        using var http = host.Http();
        var (response, watcher) = await OpenLongStreamAsync(host, customer.Secret, http);
        using (response)
        {
            await admin.RevokeKeyAsync(customer.OrgId, customer.KeyId);
            var cutAt = watcher.Now;

            var code = await AssertCutWithErrorAsync(watcher, cutAt, "the key revocation");

            Assert.False(string.IsNullOrWhiteSpace(code));
        }
    }
}
