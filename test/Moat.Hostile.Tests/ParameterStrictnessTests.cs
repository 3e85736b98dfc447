using System.ClientModel;
using Moat.Hostile.Tests.Infrastructure;
using Moat.Testing;
using OpenAI.Chat;

namespace Moat.Hostile.Tests;

/// <summary>
/// Row 17: request fields the gateway does not understand would reach the model server unchecked: remote image URLs
/// (server-side request forgery from the model server) and vLLM extras (queue priority, ignore_eos to force max-length
/// generations, guided decoding).
/// </summary>
public sealed class ParameterStrictnessTests(ParameterStrictnessTests.RecordedHost recorded) : IClassFixture<ParameterStrictnessTests.RecordedHost>
{
    private const string M = MoatTestHost.Model;

    public sealed class RecordedHost : IAsyncLifetime
    {
        public ScriptedUpstream Upstream { get; private set; } = null!;
        public MoatTestHost Host { get; private set; } = null!;
        public HttpClient Http { get; private set; } = null!;
        public ChatClient Chat { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Upstream = await ScriptedUpstream.StartAsync();
            Host = await Hosts.InFrontOfAsync(Upstream);
            var customer = await Host.CreateCustomerAsync(tier: "enterprise");
            Http = Host.Http(customer.Secret);
            Chat = Host.OpenAi(customer.Secret).GetChatClient(M);
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            await Host.DisposeAsync();
            await Upstream.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:1/x")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("file:///etc/passwd")]
    public async Task Row17_RemoteImageUrl_Is400AndNeverReachesUpstream(string url)
    {
        // The official SDK expresses this one: a user message with a text part and an image part by URL.
        var marker = Guid.NewGuid().ToString("n");
        ChatMessage[] messages = [new UserChatMessage(ChatMessageContentPart.CreateTextPart(marker), ChatMessageContentPart.CreateImagePart(new Uri(url)))];

        var error = await Record.ExceptionAsync(() => recorded.Chat.CompleteChatAsync(messages));

        Assert.True(error is ClientResultException,
            $"image_url {url} was served ({error?.GetType().Name ?? "200 OK"}); the upstream received it: {recorded.Upstream.Requests.Any(r => r.Contains(marker, StringComparison.Ordinal))}");
        var refused = (ClientResultException)error!;
        var text = refused.GetRawResponse()!.Content.ToString();
        Assert.True(refused.Status == 400, $"image_url {url} answered {refused.Status}: {text}");
        Assert.Equal("invalid_request_error", Errors.AssertShape(text));
        Assert.DoesNotContain(recorded.Upstream.Requests, r => r.Contains(marker, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("chat/completions", "priority", "-100")]
    [InlineData("chat/completions", "ignore_eos", "true")]
    [InlineData("chat/completions", "guided_json", "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}")]
    [InlineData("chat/completions", "guided_regex", "\"a+\"")]
    [InlineData("chat/completions", "min_tokens", "4000")]
    [InlineData("completions", "ignore_eos", "true")]
    [InlineData("completions", "priority", "-100")]
    public async Task Row17_UnknownVendorExtra_Is400NamingTheParam(string path, string name, string value)
    {
        var marker = Guid.NewGuid().ToString("n");
        var body = path == "completions"
            ? "{\"model\":\"" + M + "\",\"prompt\":\"" + marker + "\",\"" + name + "\":" + value + "}"
            : "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + marker + "\"}],\"" + name + "\":" + value + "}";

        var (status, text, _) = await Hosts.PostJsonAsync(recorded.Http, "/v1/" + path, body);

        Assert.True(status == 400, $"{name} on /v1/{path} answered {status}: {text}");
        Assert.Equal("invalid_request_error", Errors.AssertShape(text));
        Assert.True(Errors.Param(text) == name || Errors.Message(text).Contains(name, StringComparison.Ordinal),
            $"the error does not name '{name}': {text}");
        Assert.DoesNotContain(recorded.Upstream.Requests, r => r.Contains(marker, StringComparison.Ordinal));
    }
}
