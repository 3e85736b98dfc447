using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CsCheck;
using Moat.Functional.Tests.Infrastructure;
using Moat.Testing;

namespace Moat.Functional.Tests;

/// <summary>No input, however malformed, yields a 5xx or anything but the OpenAI error shape.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private MoatTestHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = await MoatTestHost.StartAsync(b => b.Set("Moat:Limits:MaxBodyBytes", 256 * 1024));
        var customer = await _host.CreateCustomerAsync(tier: "enterprise");
        _http = _host.Http(customer.Secret);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    private const string M = MoatTestHost.Model;

    public static TheoryData<string, string, int> MalformedBodies() => new()
    {
        // path, body, expected status
        { "chat/completions", "", 400 },
        { "chat/completions", " ", 400 },
        { "chat/completions", "{", 400 },
        { "chat/completions", "}", 400 },
        { "chat/completions", "[]", 400 },
        { "chat/completions", "null", 400 },
        { "chat/completions", "42", 400 },
        { "chat/completions", "\"model\"", 400 },
        { "chat/completions", "{}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\"}", 400 },
        { "chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400 },
        { "chat/completions", "{\"model\":42,\"messages\":[]}", 400 },
        { "chat/completions", "{\"model\":null,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400 },
        { "chat/completions", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":{}}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":\"hi\"}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[]}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[1,2]}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{}]}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":5,\"content\":\"hi\"}]}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\"}]}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":12}]}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":[\"text\"]}]}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":{\"text\":\"hi\"}}]}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":1}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream_options\":5}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream_options\":{\"include_usage\":\"no\"}}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":0}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":-5}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1.5}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":\"100\"}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":99999999999999999999}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":0}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":1000}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":-1}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":3}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"top_p\":2}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"logprobs\":\"yes\"}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} trailing", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],}", 400 },
        { "chat/completions", "{'model':'" + M + "'}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\" \"messages\":[]}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"\\uZZZZ\"}]}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"x\":" + new string('[', 200) + new string(']', 200) + "}", 400 },
        { "chat/completions", "{\"model\":\"unknown-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404 },
        { "chat/completions", "{\"model\":\"" + new string('m', 300) + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400 },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 300 * 1024) + "\"}]}", 413 },
        { "completions", "{\"model\":\"" + M + "\"}", 400 },
        { "completions", "{\"model\":\"" + M + "\",\"prompt\":5}", 400 },
        { "completions", "{\"model\":\"" + M + "\",\"prompt\":[]}", 400 },
        { "completions", "{\"model\":\"" + M + "\",\"prompt\":[{\"a\":1}]}", 400 },
        { "completions", "{\"model\":\"" + M + "\",\"prompt\":[[1,\"a\"]]}", 400 },
        { "completions", "{\"model\":\"" + M + "\",\"prompt\":\"hi\",\"logprobs\":50}", 400 },
        { "completions", "{\"model\":\"" + M + "\",\"prompt\":\"hi\",\"n\":-1}", 400 },
        { "embeddings", "{\"model\":\"" + M + "\"}", 400 },
        { "embeddings", "{\"model\":\"" + M + "\",\"input\":null}", 400 },
        { "embeddings", "{\"model\":\"" + M + "\",\"input\":true}", 400 },
        { "embeddings", "{\"model\":\"" + M + "\",\"input\":[]}", 400 },
        { "embeddings", "{\"model\":\"" + M + "\",\"input\":\"hi\",\"stream\":true}", 400 },
        { "embeddings", "{\"model\":\"" + M + "\",\"input\":[1.5]}", 400 },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task MalformedBody_GetsClientErrorInOpenAiShape(string path, string body, int expected)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await _http.PostAsync("/v1/" + path, content);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(expected, (int)response.StatusCode);
        Errors.AssertShape(text);
    }

    [Fact]
    public async Task InvalidUtf8Bytes_GetClientErrorInOpenAiShape()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"X\"}]}");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xFF;
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await _http.PostAsync("/v1/chat/completions", content);

        Assert.Equal(400, (int)response.StatusCode);
        Errors.AssertShape(await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "/v1/chat/completions")]
    [InlineData("POST", "/v1/unknown")]
    [InlineData("DELETE", "/v1/models")]
    [InlineData("POST", "/v1/models/x/y/z")]
    public async Task UnknownRouteOrMethod_GetsOpenAiShape(string method, string path)
    {
        var response = await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.InRange((int)response.StatusCode, 400, 499);
        Errors.AssertShape(await response.Content.ReadAsStringAsync());
    }

    private static readonly string[] KnownKeys = ["model", "messages", "stream", "stream_options", "max_tokens", "n", "temperature", "logprobs", "prompt", "input", "role", "content", "top_p"];

    private static Gen<string> Primitive => Gen.OneOf(
        Gen.Const("null"),
        Gen.Bool.Select(b => b ? "true" : "false"),
        Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Double.Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        Gen.String.Select(s => JsonSerializer.Serialize(s)),
        Gen.Const("\"" + M + "\""),
        Gen.Const("\"user\""));

    private static Gen<string> Value(int depth) => depth == 0
        ? Primitive
        : Gen.OneOf(Primitive, ArrayOf(depth - 1), Object(depth - 1));

    private static Gen<string> ArrayOf(int depth) => Value(depth).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]");

    private static Gen<string> Object(int depth) =>
        Gen.Select(Gen.OneOf(Gen.Int[0, KnownKeys.Length - 1].Select(i => KnownKeys[i]), Gen.String), Value(depth))
            .Array[0, 6]
            .Select(pairs => "{" + string.Join(",", pairs.Select(p => JsonSerializer.Serialize(p.Item1) + ":" + p.Item2)) + "}");

    /// <summary>Random bodies: structured JSON over the real field names, plus byte-level mutations of a valid body.</summary>
    private static Gen<string> Bodies =>
        Gen.OneOf(
            Object(3),
            Gen.Select(Gen.Int[0, 80], Gen.Char, Gen.Bool).Array[1, 4].Select(edits =>
            {
                var body = new StringBuilder("{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"max_tokens\":5}");
                foreach (var (position, character, insert) in edits)
                {
                    var at = Math.Min(position, body.Length - 1);
                    if (insert)
                    {
                        body.Insert(at, character);
                    }
                    else
                    {
                        body.Remove(at, 1);
                    }
                }
                return body.ToString();
            }));

    [Fact]
    public async Task RandomBodies_NeverServerErrorAlwaysOpenAiShape()
    {
        await Bodies.SampleAsync(async body =>
        {
            foreach (var path in new[] { "/v1/chat/completions", "/v1/completions", "/v1/embeddings" })
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                var response = await _http.PostAsync(path, content);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {path} {body}: {text}");
                if (!response.IsSuccessStatusCode)
                {
                    Errors.AssertShape(text);
                }
            }
        }, iter: 150, threads: 1);
    }
}
