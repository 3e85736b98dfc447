using System.Diagnostics;
using System.Net;

namespace Moat.FakeUpstream.Tests;

public sealed class ControlTests : IAsyncLifetime
{
    private FakeUpstreamServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeUpstreamServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task FakeConfig_Post_ChangesBehaviourLive()
    {
        var config = await _server.PostForJsonAsync("/_fake/config", new { latency_ms = 200, MinWords = 5, maxWords = 5 });

        Assert.Equal(200, (int)config["latency_ms"]!);
        var clock = Stopwatch.StartNew();
        var text = await _server.ChatTextAsync("after the change");
        Assert.True(clock.ElapsedMilliseconds >= 190, $"answered after {clock.ElapsedMilliseconds} ms");
        Assert.Equal(5, text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task FakeConfig_InvalidValue_Returns400AndKeepsConfig()
    {
        using var response = await _server.PostJsonAsync("/_fake/config", new { words_per_chunk = 0 });
        using var unknown = await _server.PostJsonAsync("/_fake/config", new { no_such_option = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(1, (int)(await _server.GetForJsonAsync("/_fake/config"))["words_per_chunk"]!);
    }

    [Fact]
    public async Task FakeStats_AfterRequests_CountsEachKindAndReset()
    {
        await _server.ChatTextAsync("one");
        await _server.PostForJsonAsync("/v1/completions", new { model = "m", prompt = "two" });
        await _server.PostForJsonAsync("/v1/embeddings", new { model = "m", input = "three" });
        using (await _server.PostJsonAsync("/v1/chat/completions", FakeUpstreamServer.Chat("x"), ("x-fake-fail", "500")))
        {
        }

        await Assert.ThrowsAsync<HttpRequestException>(
            () => _server.PostJsonAsync("/v1/chat/completions", FakeUpstreamServer.Chat("x"), ("x-fake-fail", "drop")));

        var stats = await _server.GetForJsonAsync("/_fake/stats");
        Assert.Equal(5, (int)stats["requests"]!);
        Assert.Equal(3, (int)stats["chat"]!);
        Assert.Equal(1, (int)stats["completions"]!);
        Assert.Equal(1, (int)stats["embeddings"]!);
        Assert.Equal(1, (int)stats["failures"]!);
        Assert.Equal(1, (int)stats["drops"]!);

        using var reset = await _server.SendAsync("/_fake/reset", "{}");
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(0, (int)(await _server.GetForJsonAsync("/_fake/stats"))["requests"]!);
    }
}
