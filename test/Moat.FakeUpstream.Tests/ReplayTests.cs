namespace Moat.FakeUpstream.Tests;

public sealed class ReplayTests
{
    private static readonly string Corpus = Path.Combine(AppContext.BaseDirectory, "Fixtures", "replay.jsonl");

    [Fact]
    public async Task ChatCompletions_RecordedInstruction_ReturnsFirstRecordedOutput()
    {
        await using var server = await FakeUpstreamServer.StartAsync(o => o.ReplayFile = Corpus);

        var text = await server.ChatTextAsync("  What is the capital of France?\n");

        Assert.Equal("The capital of France is Paris.\n\nIt has been the capital for centuries.", text);
    }

    [Fact]
    public async Task ChatCompletions_ReplayGenerator_SelectsThatGeneratorsOutput()
    {
        await using var server = await FakeUpstreamServer.StartAsync(o =>
        {
            o.ReplayFile = Corpus;
            o.ReplayGenerator = "model-b";
        });

        Assert.Equal("Paris.", await server.ChatTextAsync("What is the capital of France?"));
    }

    [Fact]
    public async Task ChatCompletions_InstructionWithInput_MatchesJoinedPrompt()
    {
        await using var server = await FakeUpstreamServer.StartAsync(o => o.ReplayFile = Corpus);

        Assert.Equal("Guten Morgen.", await server.ChatTextAsync("Translate to German.\n\nGood morning"));
        Assert.Equal("Dolphins are intelligent aquatic mammals.", await server.ChatTextAsync("Tell something about dolphins."));
        Assert.NotEqual("Guten Morgen.", await server.ChatTextAsync("Translate to German."));
    }

    [Fact]
    public async Task ChatCompletions_ReplayedAnswer_StreamsVerbatimWithUsage()
    {
        await using var server = await FakeUpstreamServer.StartAsync(o => o.ReplayFile = Corpus);
        var body = FakeUpstreamServer.Chat("What is the capital of France?");
        body["stream"] = true;
        body["stream_options"] = new { include_usage = true };

        using var response = await server.PostJsonAsync("/v1/chat/completions", body);
        var chunks = await SseReader.ReadChunksAsync(response);

        var text = string.Concat(chunks.SkipLast(1).Select(c => (string?)c["choices"]![0]!["delta"]!["content"] ?? string.Empty));
        Assert.Equal("The capital of France is Paris.\n\nIt has been the capital for centuries.", text);
        Assert.Equal(FakeUpstreamServer.Tokenizer.CountTokens(text), (int)chunks[^1]["usage"]!["completion_tokens"]!);
    }

    [Fact]
    public async Task ChatCompletions_UnrecordedPrompt_FallsBackToGeneratedText()
    {
        await using var server = await FakeUpstreamServer.StartAsync(o => o.ReplayFile = Corpus);
        await using var plain = await FakeUpstreamServer.StartAsync();

        Assert.Equal(await plain.ChatTextAsync("Something else"), await server.ChatTextAsync("Something else"));
    }

    [Fact]
    public async Task Completions_RecordedPrompt_ReturnsRecordedOutput()
    {
        await using var server = await FakeUpstreamServer.StartAsync(o => o.ReplayFile = Corpus);

        var json = await server.PostForJsonAsync("/v1/completions", new { model = "m", prompt = "Translate to German.\n\nGood morning" });

        Assert.Equal("Guten Morgen.", (string)json["choices"]![0]!["text"]!);
    }
}
