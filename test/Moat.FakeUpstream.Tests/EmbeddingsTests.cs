using System.Net;

namespace Moat.FakeUpstream.Tests;

public sealed class EmbeddingsTests : IAsyncLifetime
{
    private FakeUpstreamServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeUpstreamServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Embeddings_StringArray_ReturnsDeterministicUnitVectors()
    {
        var json = await _server.PostForJsonAsync("/v1/embeddings", new { model = "embed", input = new[] { "alpha", "beta", "alpha" } });

        Assert.Equal("list", (string)json["object"]!);
        var data = json["data"]!.AsArray();
        Assert.Equal([0, 1, 2], data.Select(d => (int)d!["index"]!));
        var vectors = data.Select(d => d!["embedding"]!.AsArray().Select(v => (float)v!).ToArray()).ToList();
        Assert.All(vectors, v =>
        {
            Assert.Equal(64, v.Length);
            Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 4);
        });
        Assert.Equal(vectors[0], vectors[2]);
        Assert.NotEqual(vectors[0], vectors[1]);
        var tokens = (2 * FakeUpstreamServer.Tokenizer.CountTokens("alpha")) + FakeUpstreamServer.Tokenizer.CountTokens("beta");
        Assert.Equal(tokens, (int)json["usage"]!["prompt_tokens"]!);
        Assert.Equal(tokens, (int)json["usage"]!["total_tokens"]!);
    }

    [Fact]
    public async Task Embeddings_Base64_DecodesToSameFloats()
    {
        var floats = await _server.PostForJsonAsync("/v1/embeddings", new { model = "embed", input = "same text", dimensions = 16 });
        var base64 = await _server.PostForJsonAsync("/v1/embeddings", new { model = "embed", input = "same text", dimensions = 16, encoding_format = "base64" });

        var bytes = Convert.FromBase64String((string)base64["data"]![0]!["embedding"]!);
        var decoded = new float[bytes.Length / 4];
        for (var i = 0; i < decoded.Length; i++)
        {
            decoded[i] = BitConverter.ToSingle(bytes, i * 4);
        }

        Assert.Equal(16, decoded.Length);
        Assert.Equal(floats["data"]![0]!["embedding"]!.AsArray().Select(v => (float)v!), decoded);
    }

    [Fact]
    public async Task Embeddings_TokenArrays_CountIds()
    {
        var json = await _server.PostForJsonAsync("/v1/embeddings", new { model = "embed", input = new[] { new[] { 1, 2, 3 }, new[] { 4, 5 } } });

        Assert.Equal(2, json["data"]!.AsArray().Count);
        Assert.Equal(5, (int)json["usage"]!["prompt_tokens"]!);
    }

    [Theory]
    [InlineData("{\"model\":\"e\"}")]
    [InlineData("{\"model\":\"e\",\"input\":5}")]
    [InlineData("{\"model\":\"e\",\"input\":[\"a\",5]}")]
    [InlineData("{\"model\":\"e\",\"input\":\"a\",\"encoding_format\":5}")]
    [InlineData("{\"model\":\"e\",\"input\":\"a\",\"dimensions\":\"x\"}")]
    [InlineData("[1,2]")]
    public async Task Embeddings_InvalidBody_Returns400(string json)
    {
        using var response = await _server.SendAsync("/v1/embeddings", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
