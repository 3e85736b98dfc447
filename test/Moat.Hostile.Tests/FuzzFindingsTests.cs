using System.Net.Http.Headers;
using System.Text;
using Moat.Hostile.Tests.Infrastructure;
using Moat.Testing;

namespace Moat.Hostile.Tests;

/// <summary>Fixed reproductions of what the fuzzer found, so they stay fixed.</summary>
public sealed class FuzzFindingsTests(PlainHost plain) : IClassFixture<PlainHost>
{
    private const string M = MoatTestHost.Model;

    public static TheoryData<string, string, bool> InvalidUtf8InPropertyNames() => new()
    {
        // name, bytes inserted into the property name "store", stream
        { "stray continuation byte", "80", true },
        { "stray continuation byte", "80", false },
        { "overlong slash", "C0AF", true },
        { "encoded surrogate", "EDA080", true },
        { "encoded surrogate", "EDA080", false },
    };

    /// <summary>The fuzzer's 500: invalid UTF-8 inside a property name of an otherwise valid streamed chat request.</summary>
    [Theory]
    [MemberData(nameof(InvalidUtf8InPropertyNames))]
    public async Task InvalidUtf8InPropertyName_Is400NotServerError(string name, string hex, bool stream)
    {
        var before = Encoding.UTF8.GetBytes("{\"st");
        var after = Encoding.UTF8.GetBytes("ore\":false,\"top_logprobs\":5,\"stream_options\":{},\"stream\":" + (stream ? "true" : "false") +
            ",\"messages\":[{\"role\":\"user\",\"content\":\"tc\"},{\"role\":\"developer\",\"content\":[{\"type\":\"text\",\"text\":\"hello\"}]}],\"model\":\"" + M + "\"}");
        using var content = new ByteArrayContent([.. before, .. Convert.FromHexString(hex), .. after]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await plain.Http.PostAsync("/v1/chat/completions", content);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == 400, $"{name} in a property name answered {(int)response.StatusCode}: {text}");
        Assert.Equal("invalid_request_error", Errors.AssertShape(text));
    }

    [Theory]
    [InlineData("{\"model\":\"" + M + "\",\"input\":\"hi\",\"dimensions\":[]}", "dimensions")]
    [InlineData("{\"model\":\"" + M + "\",\"input\":\"hi\",\"encoding_format\":\"zz\"}", "encoding_format")]
    public async Task EmbeddingsParameterError_HasACode(string body, string param)
    {
        var (status, text, _) = await Hosts.PostJsonAsync(plain.Http, "/v1/embeddings", body);

        Assert.Equal(400, status);
        Assert.Equal("invalid_request_error", Errors.AssertShape(text));
        Assert.Equal(param, Errors.Param(text));
    }

    [Theory]
    [InlineData("POST", "/v1/nope")]
    [InlineData("DELETE", "/v1/chat/completions")]
    [InlineData("GET", "/v1/models/" + M + "/x")]
    public async Task UnknownRoute_CarriesRequestId(string method, string path)
    {
        using var response = await plain.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.InRange((int)response.StatusCode, 400, 499);
        Errors.AssertShape(await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.Contains("x-request-id"), $"{method} {path} answered {(int)response.StatusCode} without x-request-id");
    }

    [Fact]
    public async Task WrongKey_CarriesRequestId()
    {
        using var http = plain.Host.Http("sk-" + new string('x', 40));

        var (status, text, response) = await Hosts.PostJsonAsync(http, "/v1/chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        Assert.Equal(401, status);
        Assert.Equal("invalid_api_key", Errors.AssertShape(text));
        Assert.True(response.Headers.Contains("x-request-id"), "401 without x-request-id");
    }
}
