using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.ML.Tokenizers;

namespace Moat.FakeUpstream.Tests;

/// <summary>A real fake-upstream host on a free loopback port, with an HttpClient pointed at it.</summary>
internal sealed class FakeUpstreamServer : IAsyncDisposable
{
    public static readonly Tokenizer Tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");

    private readonly WebApplication _app;

    private FakeUpstreamServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public static async Task<FakeUpstreamServer> StartAsync(Action<FakeUpstreamOptions>? configure = null, params string[] args)
    {
        var app = FakeUpstreamHost.Create(["--urls", "http://127.0.0.1:0", .. args], configure);
        await app.StartAsync();
        return new FakeUpstreamServer(app, new Uri(app.Urls.First()));
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body, params (string Name, string Value)[] headers) =>
        SendAsync(path, JsonSerializer.Serialize(body), headers);

    public Task<HttpResponseMessage> SendAsync(string path, string json, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    public async Task<JsonNode> PostForJsonAsync(string path, object body, params (string Name, string Value)[] headers)
    {
        using var response = await PostJsonAsync(path, body, headers);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<JsonNode> GetForJsonAsync(string path) =>
        (await Client.GetFromJsonAsync<JsonNode>(path))!;

    /// <summary>The chat reply text for one user message.</summary>
    public async Task<string> ChatTextAsync(string prompt, string model = "fake-model") =>
        (string)(await PostForJsonAsync("/v1/chat/completions", Chat(prompt, model)))["choices"]![0]!["message"]!["content"]!;

    public static Dictionary<string, object?> Chat(string prompt, string model = "fake-model") => new()
    {
        ["model"] = model,
        ["messages"] = new[] { new { role = "user", content = prompt } },
    };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
