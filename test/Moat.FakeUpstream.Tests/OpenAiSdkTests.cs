using System.ClientModel;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace Moat.FakeUpstream.Tests;

/// <summary>The official OpenAI .NET SDK must work against the fake server unchanged.</summary>
public sealed class OpenAiSdkTests : IAsyncLifetime
{
    private FakeUpstreamServer _server = null!;
    private OpenAIClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeUpstreamServer.StartAsync(o => o.RequiredApiKey = "sk-test");
        _client = new OpenAIClient(new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = new Uri(_server.BaseAddress, "/v1") });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Sdk_CompleteChat_ReturnsTextAndUsage()
    {
        var chat = _client.GetChatClient("fake-model");

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Hello from the SDK")]);

        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(FakeUpstreamServer.Tokenizer.CountTokens(completion.Content[0].Text), completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task Sdk_CompleteChatStreaming_MatchesNonStreamingText()
    {
        var chat = _client.GetChatClient("fake-model");
        ChatCompletion whole = await chat.CompleteChatAsync([new UserChatMessage("Stream via SDK")]);

        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Stream via SDK")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
        }

        Assert.Equal(whole.Content[0].Text, text.ToString());
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
    }

    [Fact]
    public async Task Sdk_GenerateEmbedding_DecodesBase64Vector()
    {
        var embeddings = _client.GetEmbeddingClient("fake-embed");

        OpenAIEmbedding embedding = await embeddings.GenerateEmbeddingAsync("vector please");

        var vector = embedding.ToFloats().ToArray();
        Assert.Equal(64, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(x => (double)x * x)), 4);
    }
}
