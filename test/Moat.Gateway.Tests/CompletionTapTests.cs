using System.IO.Pipelines;
using System.Text;
using Moat.Gateway.Parsing;
using Moat.Gateway.Pipeline.Forward;

namespace Moat.Gateway.Tests;

public sealed class CompletionTapTests
{
    [Fact]
    public void Observe_ChatBody_ReadsUsageAndEveryChoice()
    {
        var tap = new CompletionTap(ModelEndpoint.ChatCompletions);
        tap.Observe(Encoding.UTF8.GetBytes("""
            {"id":"x","choices":[{"index":1,"message":{"role":"assistant","content":"second"}},{"index":0,"message":{"content":"first"}}],
             "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}
            """));

        Assert.Equal(5, tap.PromptTokens);
        Assert.Equal(2, tap.CompletionTokens);
        Assert.Equal(["first", "second"], tap.Texts.ToArray());
    }

    [Fact]
    public async Task Relay_SseStream_HidesUsageChunkOnlyWhenClientDidNotAsk()
    {
        const string stream =
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n" +
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\r\n\r\n" +
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\n" +
            "data: [DONE]\n\n";

        var (hidden, hiddenTap) = await RelayAsync(stream, hideUsage: true);
        var (shown, _) = await RelayAsync(stream, hideUsage: false);

        Assert.DoesNotContain("usage", hidden);
        Assert.EndsWith("data: [DONE]\n\n", hidden);
        Assert.Equal(stream, shown);
        Assert.Equal("Hello", Assert.Single(hiddenTap.Texts));
        Assert.Equal(2, hiddenTap.CompletionTokens);
    }

    private static async Task<(string Output, CompletionTap Tap)> RelayAsync(string input, bool hideUsage)
    {
        var tap = new CompletionTap(ModelEndpoint.ChatCompletions);
        var relay = new ServerSentEventRelay(tap, hideUsage);
        var output = new MemoryStream();
        var writer = PipeWriter.Create(output);
        using var deadline = new CancellationTokenSource();
        _ = await relay.CopyAsync(new MemoryStream(Encoding.UTF8.GetBytes(input)), writer, deadline, TimeSpan.FromSeconds(5), static () => ValueTask.CompletedTask, long.MaxValue, CancellationToken.None);
        await writer.CompleteAsync();
        return (Encoding.UTF8.GetString(output.ToArray()), tap);
    }
}
