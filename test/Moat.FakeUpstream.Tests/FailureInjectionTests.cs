using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Moat.FakeUpstream.Tests;

public sealed class FailureInjectionTests : IAsyncLifetime
{
    private FakeUpstreamServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeUpstreamServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(500, "server_error")]
    [InlineData(502, "server_error")]
    [InlineData(503, "server_error")]
    [InlineData(429, "requests")]
    public async Task FailHeader_Status_AnswersThatStatusInOpenAiShape(int status, string type)
    {
        using var response = await _server.PostJsonAsync("/v1/chat/completions", FakeUpstreamServer.Chat("hi"), ("x-fake-fail", status.ToString()));

        Assert.Equal(status, (int)response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(type, (string)error["type"]!);
        Assert.False(string.IsNullOrEmpty((string)error["message"]!));
    }

    [Fact]
    public async Task FailHeader_Drop_ClientSeesHttpRequestException()
    {
        await Assert.ThrowsAsync<HttpRequestException>(
            () => _server.PostJsonAsync("/v1/chat/completions", FakeUpstreamServer.Chat("hi"), ("x-fake-fail", "drop")));
    }

    [Fact]
    public async Task FailHeader_DropMidStream_SendsSomeChunksThenAborts()
    {
        var body = FakeUpstreamServer.Chat("Interrupted stream");
        body["stream"] = true;
        var received = new List<string>();

        using var response = await _server.PostJsonAsync("/v1/chat/completions", body, ("x-fake-fail", "drop-mid-stream"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var read = async () =>
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line)
            {
                received.Add(line);
            }
        };

        await Assert.ThrowsAnyAsync<IOException>(read);
        Assert.Contains(received, l => l.Contains("\"content\":\"", StringComparison.Ordinal) && !l.Contains("\"role\"", StringComparison.Ordinal));
        Assert.DoesNotContain("data: [DONE]", received);
    }

    [Fact]
    public async Task FailHeader_DropMidStreamNonStreaming_ClientCannotReadBody()
    {
        using var response = await _server.PostJsonAsync("/v1/chat/completions", FakeUpstreamServer.Chat("Half a body"), ("x-fake-fail", "drop-mid-stream"));

        await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FailHeader_UnknownValue_Returns400()
    {
        using var response = await _server.PostJsonAsync("/v1/chat/completions", FakeUpstreamServer.Chat("hi"), ("x-fake-fail", "explode"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task DelayHeader_DelaysResponseHeaders()
    {
        var clock = Stopwatch.StartNew();

        using var response = await _server.PostJsonAsync("/v1/chat/completions", FakeUpstreamServer.Chat("hi"), ("x-fake-delay-ms", "250"));

        Assert.True(clock.ElapsedMilliseconds >= 240, $"answered after {clock.ElapsedMilliseconds} ms");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task FailureRate_SameSeed_FailsSameRequests()
    {
        var first = await StatusSequenceAsync(seed: 7);
        var second = await StatusSequenceAsync(seed: 7);

        Assert.Equal(first, second);
        Assert.Contains(503, first);
        Assert.Contains(200, first);
    }

    [Fact]
    public async Task DropRateOne_EveryRequestDroppedAndCounted()
    {
        await using var server = await FakeUpstreamServer.StartAsync(o => o.DropRate = 1);

        await Assert.ThrowsAsync<HttpRequestException>(() => server.PostJsonAsync("/v1/embeddings", new { model = "e", input = "x" }));

        var stats = await server.GetForJsonAsync("/_fake/stats");
        Assert.Equal(1, (int)stats["drops"]!);
    }

    [Fact]
    public async Task RequiredApiKey_MissingOrWrongKey_Returns401()
    {
        await using var server = await FakeUpstreamServer.StartAsync(o => o.RequiredApiKey = "sk-right");

        using var missing = await server.PostJsonAsync("/v1/chat/completions", FakeUpstreamServer.Chat("hi"));
        using var wrong = await server.PostJsonAsync("/v1/chat/completions", FakeUpstreamServer.Chat("hi"), ("Authorization", "Bearer sk-wrong"));
        using var right = await server.PostJsonAsync("/v1/chat/completions", FakeUpstreamServer.Chat("hi"), ("Authorization", "Bearer sk-right"));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("invalid_api_key", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    private static async Task<List<int>> StatusSequenceAsync(int seed)
    {
        await using var server = await FakeUpstreamServer.StartAsync(o =>
        {
            o.Seed = seed;
            o.FailureRate = 0.5;
            o.FailureStatus = 503;
        });
        var statuses = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await server.PostJsonAsync("/v1/chat/completions", FakeUpstreamServer.Chat($"p{i}"));
            statuses.Add((int)response.StatusCode);
        }

        return statuses;
    }
}
