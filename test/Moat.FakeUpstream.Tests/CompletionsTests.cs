namespace Moat.FakeUpstream.Tests;

public sealed class CompletionsTests : IAsyncLifetime
{
    private FakeUpstreamServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeUpstreamServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Completions_StringPrompt_ReturnsTextCompletionWithUsage()
    {
        var json = await _server.PostForJsonAsync("/v1/completions", new { model = "fake-model", prompt = "Write a haiku" });

        Assert.StartsWith("cmpl-", (string)json["id"]!);
        Assert.Equal("text_completion", (string)json["object"]!);
        var text = (string)json["choices"]![0]!["text"]!;
        Assert.Equal("stop", (string)json["choices"]![0]!["finish_reason"]!);
        Assert.Equal(FakeUpstreamServer.Tokenizer.CountTokens("Write a haiku"), (int)json["usage"]!["prompt_tokens"]!);
        Assert.Equal(FakeUpstreamServer.Tokenizer.CountTokens(text), (int)json["usage"]!["completion_tokens"]!);
    }

    [Fact]
    public async Task Completions_PromptArrayWithN_ReturnsChoicePerPromptAndN()
    {
        var json = await _server.PostForJsonAsync("/v1/completions", new { model = "fake-model", prompt = new[] { "first", "second" }, n = 2 });

        var choices = json["choices"]!.AsArray();
        Assert.Equal([0, 1, 2, 3], choices.Select(c => (int)c!["index"]!));
        Assert.Equal(4, choices.Select(c => (string)c!["text"]!).Distinct().Count());
        var promptTokens = FakeUpstreamServer.Tokenizer.CountTokens("first") + FakeUpstreamServer.Tokenizer.CountTokens("second");
        Assert.Equal(promptTokens, (int)json["usage"]!["prompt_tokens"]!);
    }

    [Fact]
    public async Task Completions_TokenIdPrompt_CountsIds()
    {
        var json = await _server.PostForJsonAsync("/v1/completions", new { model = "fake-model", prompt = new[] { 9906, 1917, 0 } });

        Assert.Equal(3, (int)json["usage"]!["prompt_tokens"]!);
    }

    [Theory]
    [InlineData("{\"model\":\"m\"}")]
    [InlineData("{\"model\":\"m\",\"prompt\":5}")]
    [InlineData("{\"model\":\"m\",\"prompt\":[1,\"a\"]}")]
    [InlineData("{\"model\":\"m\",\"prompt\":[{}]}")]
    public async Task Completions_InvalidPrompt_Returns400(string json)
    {
        using var response = await _server.SendAsync("/v1/completions", json);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Completions_MaxTokens_TruncatesWithLength()
    {
        var json = await _server.PostForJsonAsync("/v1/completions", new { model = "fake-model", prompt = "Short please", max_tokens = 3 });

        Assert.Equal("length", (string)json["choices"]![0]!["finish_reason"]!);
        Assert.Equal(3, (int)json["usage"]!["completion_tokens"]!);
    }
}
