using System.Text.Json.Nodes;

namespace Moat.FakeUpstream.Tests;

public sealed class StreamingTests : IAsyncLifetime
{
    private FakeUpstreamServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeUpstreamServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ChatStream_Chunks_RoleThenContentThenFinishThenDone()
    {
        var expected = await _server.ChatTextAsync("Stream this");
        var body = FakeUpstreamServer.Chat("Stream this");
        body["stream"] = true;

        using var response = await _server.PostJsonAsync("/v1/chat/completions", body);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var chunks = await SseReader.ReadChunksAsync(response);
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", (string)c["object"]!));
        Assert.Single(chunks.Select(c => (string)c["id"]!).Distinct());
        Assert.All(chunks, c => Assert.False(c.AsObject().ContainsKey("usage")));
        var first = chunks[0]["choices"]![0]!;
        Assert.Equal("assistant", (string)first["delta"]!["role"]!);
        Assert.Equal(string.Empty, (string)first["delta"]!["content"]!);
        var last = chunks[^1]["choices"]![0]!;
        Assert.Equal("stop", (string)last["finish_reason"]!);
        Assert.Empty(last["delta"]!.AsObject());
        var middle = chunks.Skip(1).SkipLast(1).ToList();
        Assert.All(middle, c => Assert.Null(c["choices"]![0]!["finish_reason"]));
        Assert.Equal(expected.Split(' ', '\n').Count(w => w.Length > 0), middle.Count);
        Assert.Equal(expected, string.Concat(middle.Select(c => (string)c["choices"]![0]!["delta"]!["content"]!)));
    }

    [Fact]
    public async Task ChatStream_IncludeUsage_AddsUsageChunkAndNullUsageElsewhere()
    {
        var body = FakeUpstreamServer.Chat("Count my tokens");
        body["stream"] = true;
        body["stream_options"] = new { include_usage = true };

        using var response = await _server.PostJsonAsync("/v1/chat/completions", body);
        var chunks = await SseReader.ReadChunksAsync(response);

        var usageChunk = chunks[^1];
        Assert.Empty(usageChunk["choices"]!.AsArray());
        var text = string.Concat(chunks.SkipLast(1).Select(c => (string?)c["choices"]![0]!["delta"]!["content"] ?? string.Empty));
        Assert.Equal(FakeUpstreamServer.Tokenizer.CountTokens("Count my tokens"), (int)usageChunk["usage"]!["prompt_tokens"]!);
        Assert.Equal(FakeUpstreamServer.Tokenizer.CountTokens(text), (int)usageChunk["usage"]!["completion_tokens"]!);
        Assert.All(chunks.SkipLast(1), c =>
        {
            Assert.True(c.AsObject().ContainsKey("usage"));
            Assert.Null(c["usage"]);
        });
    }

    [Fact]
    public async Task ChatStream_WordsPerChunkThree_GroupsThreeWords()
    {
        await using var server = await FakeUpstreamServer.StartAsync(o => o.WordsPerChunk = 3);
        var body = FakeUpstreamServer.Chat("Group words");
        body["stream"] = true;

        using var response = await server.PostJsonAsync("/v1/chat/completions", body);
        var chunks = await SseReader.ReadChunksAsync(response);

        var contents = chunks.Skip(1).SkipLast(1).Select(c => (string)c["choices"]![0]!["delta"]!["content"]!).ToList();
        Assert.All(contents.SkipLast(1), c => Assert.Equal(3, c.Split(' ', '\n').Count(w => w.Length > 0)));
    }

    [Fact]
    public async Task ChatStream_ChunkDelay_ChunksArriveOverTime()
    {
        await using var server = await FakeUpstreamServer.StartAsync(o =>
        {
            o.ChunkDelayMs = 40;
            o.MinWords = 6;
            o.MaxWords = 6;
        });
        var body = FakeUpstreamServer.Chat("Slow stream");
        body["stream"] = true;

        using var response = await server.PostJsonAsync("/v1/chat/completions", body);
        var events = await SseReader.ReadAllAsync(response);

        // Six content chunks 40 ms apart: the first and last content chunk must be far apart on arrival.
        var firstContent = events[1].At;
        var lastContent = events[6].At;
        Assert.True(lastContent - firstContent >= TimeSpan.FromMilliseconds(150), $"arrived within {(lastContent - firstContent).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task ChatStream_NTwo_StreamsBothChoicesWithFinish()
    {
        var body = FakeUpstreamServer.Chat("Two streams");
        body["stream"] = true;
        body["n"] = 2;

        using var response = await _server.PostJsonAsync("/v1/chat/completions", body);
        var chunks = await SseReader.ReadChunksAsync(response);

        var finishes = chunks.Where(c => c["choices"]![0]!["finish_reason"] is not null).Select(c => (int)c["choices"]![0]!["index"]!);
        Assert.Equal([0, 1], finishes.Order());
    }

    [Fact]
    public async Task CompletionsStream_TextChunks_ConcatenateToNonStreamedText()
    {
        var whole = await _server.PostForJsonAsync("/v1/completions", new { model = "fake-model", prompt = "Once upon a time" });
        using var response = await _server.PostJsonAsync(
            "/v1/completions",
            new { model = "fake-model", prompt = "Once upon a time", stream = true, stream_options = new { include_usage = true } });
        var chunks = await SseReader.ReadChunksAsync(response);

        Assert.All(chunks, c => Assert.Equal("text_completion", (string)c["object"]!));
        var text = string.Concat(chunks.SkipLast(1).Select(c => (string)c["choices"]![0]!["text"]!));
        Assert.Equal((string)whole["choices"]![0]!["text"]!, text);
        Assert.Equal("stop", (string)chunks[^2]["choices"]![0]!["finish_reason"]!);
        Assert.Equal(whole["usage"]!.ToJsonString(), chunks[^1]["usage"]!.ToJsonString());
    }
}
