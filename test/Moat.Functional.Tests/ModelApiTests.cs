using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moat.Core.Access;
using Moat.Functional.Tests.Infrastructure;
using Moat.Testing;
using OpenAI.Chat;

namespace Moat.Functional.Tests;

/// <summary>The official OpenAI .NET SDK, pointed at Moat, works unchanged.</summary>
public sealed class ModelApiTests : IAsyncLifetime
{
    private MoatTestHost _host = null!;
    private Customer _customer = null!;

    public async Task InitializeAsync()
    {
        _host = await MoatTestHost.StartAsync(b => b.ConfigureUpstream = o => o.ChunkDelayMs = 15);
        _customer = await _host.CreateCustomerAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ChatCompletion_WithOfficialSdk_ReturnsUpstreamTextAndUsage()
    {
        var chat = _host.OpenAi(_customer.Secret).GetChatClient(MoatTestHost.Model);

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Tell me about lighthouses.")]);

        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task ChatCompletion_Streaming_ArrivesIncrementallyAndMatchesNonStreamingText()
    {
        var chat = _host.OpenAi(_customer.Secret).GetChatClient(MoatTestHost.Model);
        ChatMessage[] messages = [new UserChatMessage("Describe the sea at night in detail.")];
        ChatCompletion whole = await chat.CompleteChatAsync(messages);

        var text = new System.Text.StringBuilder();
        var arrivals = new List<long>();
        var clock = Stopwatch.StartNew();
        ChatTokenUsage? usage = null;
        await foreach (var update in chat.CompleteChatStreamingAsync(messages))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
                arrivals.Add(clock.ElapsedMilliseconds);
            }
            usage ??= update.Usage;
        }

        Assert.Equal(whole.Content[0].Text, text.ToString());
        Assert.True(arrivals.Count > 10, $"expected many chunks, got {arrivals.Count}");
        // With 15 ms between upstream chunks, a buffering proxy would deliver everything at once.
        Assert.True(arrivals[^1] - arrivals[0] > 100, $"chunks arrived within {arrivals[^1] - arrivals[0]} ms: buffered, not streamed");
        // The .NET SDK asks for stream usage itself; the gateway passes the upstream's numbers through.
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
    }

    [Fact]
    public async Task ChatCompletion_StreamingWithIncludeUsage_ClientReceivesUsageChunk()
    {
        using var http = _host.Http(_customer.Secret);
        var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = MoatTestHost.Model,
            stream = true,
            stream_options = new { include_usage = true },
            messages = new[] { new { role = "user", content = "Hello there" } },
        });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"prompt_tokens\"", body);
        Assert.EndsWith("data: [DONE]\n\n", body);
    }

    [Fact]
    public async Task ChatCompletion_StreamingWithoutIncludeUsage_UsageChunkHidden()
    {
        using var http = _host.Http(_customer.Secret);
        var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = MoatTestHost.Model,
            stream = true,
            messages = new[] { new { role = "user", content = "Hello there" } },
        });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("chat.completion.chunk", body);
        Assert.DoesNotContain("\"prompt_tokens\"", body);
        Assert.EndsWith("data: [DONE]\n\n", body);
    }

    [Fact]
    public async Task LegacyCompletions_NonStreamingAndStreaming_Served()
    {
        using var http = _host.Http(_customer.Secret);
        var plain = await http.PostAsJsonAsync("/v1/completions", new { model = MoatTestHost.Model, prompt = "Once upon a time", max_tokens = 20 });
        var json = JsonDocument.Parse(await plain.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("text_completion", json.GetProperty("object").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("choices")[0].GetProperty("text").GetString()));

        var streamed = await http.PostAsJsonAsync("/v1/completions", new { model = MoatTestHost.Model, prompt = "Once upon a time", max_tokens = 20, stream = true });
        var events = await streamed.Content.ReadAsStringAsync();
        Assert.StartsWith("text/event-stream", streamed.Content.Headers.ContentType?.ToString());
        Assert.Contains("data: [DONE]", events);
    }

    [Fact]
    public async Task Embeddings_WithOfficialSdk_ReturnsVector()
    {
        var embeddings = _host.OpenAi(_customer.Secret).GetEmbeddingClient(MoatTestHost.Model);

        var embedding = (await embeddings.GenerateEmbeddingAsync("The quick brown fox")).Value;

        Assert.True(embedding.ToFloats().Length > 0);
    }

    [Fact]
    public async Task Models_ListedPerOrganisationTier()
    {
        var restricted = await _host.CreateCustomerAsync(tier: "restricted", name: "Restricted Org");

        var all = await _host.OpenAi(_customer.Secret).GetOpenAIModelClient().GetModelsAsync();
        var limited = await _host.OpenAi(restricted.Secret).GetOpenAIModelClient().GetModelsAsync();
        var one = await _host.OpenAi(_customer.Secret).GetOpenAIModelClient().GetModelAsync(MoatTestHost.OtherModel);

        Assert.Equal(new[] { MoatTestHost.Model, MoatTestHost.OtherModel }.Order().ToArray(), all.Value.Select(m => m.Id).Order().ToArray());
        Assert.Equal([MoatTestHost.Model], limited.Value.Select(m => m.Id).ToArray());
        Assert.Equal(MoatTestHost.OtherModel, one.Value.Id);
    }

    [Fact]
    public async Task EveryResponse_CarriesRequestIdAndRateLimitHeaders()
    {
        using var http = _host.Http(_customer.Secret);
        var ok = await http.PostAsJsonAsync("/v1/chat/completions", new { model = MoatTestHost.Model, messages = new[] { new { role = "user", content = "hi" } } });
        var notFound = await http.PostAsJsonAsync("/v1/chat/completions", new { model = "nope", messages = new[] { new { role = "user", content = "hi" } } });
        var models = await http.GetAsync("/v1/models");

        foreach (var response in new[] { ok, notFound, models })
        {
            Assert.StartsWith("req_", response.Headers.GetValues("x-request-id").Single());
            foreach (var name in new[] { "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
                "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens" })
            {
                Assert.True(response.Headers.Contains(name), $"{name} missing on {(int)response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task StateChange_TakesEffectOnTheVeryNextRequest()
    {
        var enforcement = (Moat.Admin.Enforcement.EnforcementService)_host.Services.GetService(typeof(Moat.Admin.Enforcement.EnforcementService))!;
        var chat = _host.OpenAi(_customer.Secret).GetChatClient(MoatTestHost.Model);
        await chat.CompleteChatAsync([new UserChatMessage("first")]);

        await enforcement.ApplyAsync(_customer.OrgId, OrgAction.Suspend, "test", "test", null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("second")]));
        Assert.Equal(403, error.Status);
        Assert.Contains("account_suspended", error.GetRawResponse()!.Content.ToString());
    }
}
