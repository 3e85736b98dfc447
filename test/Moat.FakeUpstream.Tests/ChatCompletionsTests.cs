using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Moat.FakeUpstream.Tests;

public sealed class ChatCompletionsTests : IAsyncLifetime
{
    private FakeUpstreamServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeUpstreamServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ChatCompletions_SamePrompt_ReturnsSameText()
    {
        var first = await _server.ChatTextAsync("Tell me about rivers.");
        var second = await _server.ChatTextAsync("Tell me about rivers.");

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task ChatCompletions_SamePromptAfterRestart_ReturnsSameText()
    {
        var before = await _server.ChatTextAsync("Restart-stable prompt");
        await using var other = await FakeUpstreamServer.StartAsync();

        Assert.Equal(before, await other.ChatTextAsync("Restart-stable prompt"));
    }

    [Fact]
    public async Task ChatCompletions_DifferentPromptsOrModels_ShareFewWordTrigrams()
    {
        var texts = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            texts.Add(await _server.ChatTextAsync($"Question number {i}"));
        }

        texts.Add(await _server.ChatTextAsync("Question number 0", "other-model"));

        for (var a = 0; a < texts.Count; a++)
        {
            for (var b = a + 1; b < texts.Count; b++)
            {
                Assert.NotEqual(texts[a], texts[b]);
                Assert.True(Jaccard(Trigrams(texts[a]), Trigrams(texts[b])) < 0.1, $"texts {a} and {b} are near-duplicates");
            }
        }
    }

    [Fact]
    public async Task ChatCompletions_Reply_IsSentencesWithinWordRange()
    {
        for (var i = 0; i < 20; i++)
        {
            var text = await _server.ChatTextAsync($"Shape check {i}");
            var words = text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);

            Assert.InRange(words.Length, 40, 160);
            Assert.Matches("^[A-Z]", text);
            Assert.Matches("[.?]$", text);
            var sentences = Regex.Split(text, @"(?<=[.?])\s+");
            Assert.True(sentences.Length >= 3, text);
            Assert.All(sentences, s => Assert.Matches("^[A-Z][^.?]*[.?]$", s));
        }
    }

    [Fact]
    public async Task ChatCompletions_Response_HasOpenAiShapeAndTokenizerUsage()
    {
        var body = new Dictionary<string, object?>
        {
            ["model"] = "any-model-name",
            ["messages"] = new object[]
            {
                new { role = "system", content = "You are terse." },
                new { role = "user", content = new object[] { new { type = "text", text = "Hello " }, new { type = "text", text = "there" } } },
            },
        };

        var json = await _server.PostForJsonAsync("/v1/chat/completions", body);

        Assert.StartsWith("chatcmpl-", (string)json["id"]!);
        Assert.Equal("chat.completion", (string)json["object"]!);
        Assert.Equal("any-model-name", (string)json["model"]!);
        Assert.True((long)json["created"]! > 1_600_000_000);
        var choice = json["choices"]![0]!;
        Assert.Equal(0, (int)choice["index"]!);
        Assert.Equal("assistant", (string)choice["message"]!["role"]!);
        Assert.Equal("stop", (string)choice["finish_reason"]!);
        var content = (string)choice["message"]!["content"]!;
        var usage = json["usage"]!;
        Assert.Equal(FakeUpstreamServer.Tokenizer.CountTokens("You are terse.\nHello there"), (int)usage["prompt_tokens"]!);
        Assert.Equal(FakeUpstreamServer.Tokenizer.CountTokens(content), (int)usage["completion_tokens"]!);
        Assert.Equal((int)usage["prompt_tokens"]! + (int)usage["completion_tokens"]!, (int)usage["total_tokens"]!);
    }

    [Fact]
    public async Task ChatCompletions_NThree_ReturnsThreeDifferentDeterministicChoices()
    {
        var body = FakeUpstreamServer.Chat("Give me options");
        body["n"] = 3;

        var first = await _server.PostForJsonAsync("/v1/chat/completions", body);
        var second = await _server.PostForJsonAsync("/v1/chat/completions", body);

        var texts = first["choices"]!.AsArray().Select(c => (string)c!["message"]!["content"]!).ToList();
        Assert.Equal(3, texts.Distinct().Count());
        Assert.Equal([0, 1, 2], first["choices"]!.AsArray().Select(c => (int)c!["index"]!));
        Assert.Equal(first["choices"]!.ToJsonString(), second["choices"]!.ToJsonString());
        var completionTokens = texts.Sum(t => FakeUpstreamServer.Tokenizer.CountTokens(t));
        Assert.Equal(completionTokens, (int)first["usage"]!["completion_tokens"]!);
    }

    [Theory]
    [InlineData("max_tokens")]
    [InlineData("max_completion_tokens")]
    public async Task ChatCompletions_MaxTokens_TruncatesWithFinishReasonLength(string field)
    {
        var full = await _server.ChatTextAsync("Truncate me");
        var body = FakeUpstreamServer.Chat("Truncate me");
        body[field] = 5;

        var json = await _server.PostForJsonAsync("/v1/chat/completions", body);

        var choice = json["choices"]![0]!;
        var text = (string)choice["message"]!["content"]!;
        Assert.Equal("length", (string)choice["finish_reason"]!);
        Assert.StartsWith(text, full);
        Assert.Equal(5, FakeUpstreamServer.Tokenizer.CountTokens(text));
        Assert.Equal(5, (int)json["usage"]!["completion_tokens"]!);
    }

    [Fact]
    public async Task ChatCompletions_MaxTokensAboveReply_FinishesWithStop()
    {
        var body = FakeUpstreamServer.Chat("Plenty of room");
        body["max_tokens"] = 4000;

        var json = await _server.PostForJsonAsync("/v1/chat/completions", body);

        Assert.Equal("stop", (string)json["choices"]![0]!["finish_reason"]!);
    }

    [Fact]
    public async Task ChatCompletions_MalformedJson_Returns400InOpenAiShape()
    {
        using var response = await _server.SendAsync("/v1/chat/completions", "{\"model\": ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("invalid_request_error", (string)error["type"]!);
        Assert.False(string.IsNullOrEmpty((string)error["message"]!));
        Assert.True(error.AsObject().ContainsKey("param"));
        Assert.True(error.AsObject().ContainsKey("code"));
    }

    [Theory]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model")]
    [InlineData("{\"model\":\"m\"}", "messages")]
    [InlineData("{\"model\":\"m\",\"messages\":[]}", "messages")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":0}", "n")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":-1}", "max_tokens")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":\"two\"}", "n")]
    [InlineData("{\"model\":\"m\",\"messages\":\"hi\"}", "messages")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}", "messages[0].content")]
    [InlineData("{\"model\":\"m\",\"messages\":[\"hi\"]}", "messages[0]")]
    public async Task ChatCompletions_InvalidField_Returns400NamingParam(string json, string param)
    {
        using var response = await _server.SendAsync("/v1/chat/completions", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(param, (string)error["param"]!);
    }

    private static HashSet<string> Trigrams(string text)
    {
        var words = text.ToLowerInvariant().Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return [.. Enumerable.Range(0, words.Length - 2).Select(i => $"{words[i]} {words[i + 1]} {words[i + 2]}")];
    }

    private static double Jaccard(HashSet<string> a, HashSet<string> b) =>
        (double)a.Intersect(b).Count() / a.Union(b).Count();
}
