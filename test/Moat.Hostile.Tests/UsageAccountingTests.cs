using System.Text;
using System.Text.Json;
using Moat.Hostile.Tests.Infrastructure;
using Moat.Testing;
using OpenAI.Chat;

namespace Moat.Hostile.Tests;

/// <summary>Row 3: a customer tries to be served without being charged (stream usage games, uncounted tools).</summary>
public sealed class UsageAccountingTests
{
    private const string M = MoatTestHost.Model;

    /// <summary>Asserts a well-formed chat completion stream; returns its JSON events.</summary>
    private static List<JsonElement> AssertWellFormedStream(string sse)
    {
        var data = sse.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l["data:".Length..].Trim()).ToList();
        Assert.True(data.Count >= 2, $"stream has {data.Count} data events: {sse}");
        Assert.Equal("[DONE]", data[^1]);
        var events = new List<JsonElement>();
        foreach (var item in data.Take(data.Count - 1))
        {
            var element = JsonDocument.Parse(item).RootElement.Clone();
            Assert.False(element.TryGetProperty("error", out _), $"error event in a successful stream: {item}");
            Assert.Equal("chat.completion.chunk", element.GetProperty("object").GetString());
            events.Add(element);
        }
        return events;
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{\"include_usage\":false}")]
    [InlineData("{}")]
    public async Task Row03_StreamOptionsOptOut_LedgerStillCarriesUpstreamUsage(string streamOptions)
    {
        await using var host = await MoatTestHost.StartAsync();
        var customer = await host.CreateCustomerAsync();
        using var http = host.Http(customer.Secret);
        const string messages = "[{\"role\":\"user\",\"content\":\"Explain how tides work, in detail.\"}]";
        var (wholeStatus, wholeText, _) = await Hosts.PostJsonAsync(http, "/v1/chat/completions", "{\"model\":\"" + M + "\",\"messages\":" + messages + "}");
        Assert.Equal(200, wholeStatus);
        var usage = JsonDocument.Parse(wholeText).RootElement.GetProperty("usage");

        var (status, sse, _) = await Hosts.PostJsonAsync(http, "/v1/chat/completions",
            "{\"model\":\"" + M + "\",\"stream\":true,\"stream_options\":" + streamOptions + ",\"messages\":" + messages + "}");

        Assert.True(status == 200, $"stream answered {status}: {sse}");
        var events = AssertWellFormedStream(sse);
        Assert.DoesNotContain(events, e => e.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object);
        var rows = await host.LedgerAsync(customer.OrgId);
        var streamed = Assert.Single(rows, r => r.Stream);
        var (prompt, completion) = (usage.GetProperty("prompt_tokens").GetInt64(), usage.GetProperty("completion_tokens").GetInt64());
        Assert.True(prompt == streamed.PromptTokens && completion == streamed.CompletionTokens,
            $"stream_options={streamOptions}: the ledger charged {streamed.PromptTokens}+{streamed.CompletionTokens}, the upstream's usage is {prompt}+{completion}");
        Assert.Equal("upstream", Ledger.UsageSource(streamed));
    }

    [Fact]
    public async Task Row03_UpstreamReportsNoUsage_LedgerChargesTheReservation()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(ScriptedUpstream.StreamWithoutUsage(chunks: 5, delayMs: 0));
        await using var host = await Hosts.InFrontOfAsync(upstream);
        var customer = await host.CreateCustomerAsync();
        using var http = host.Http(customer.Secret);

        var (status, sse, _) = await Hosts.PostJsonAsync(http, "/v1/chat/completions",
            "{\"model\":\"" + M + "\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"max_tokens\":500,\"messages\":[{\"role\":\"user\",\"content\":\"Tell me everything.\"}]}");

        Assert.True(status == 200, $"stream answered {status}: {sse}");
        AssertWellFormedStream(sse);
        var row = Assert.Single(await host.LedgerAsync(customer.OrgId));
        Assert.True(row.PromptTokens + row.CompletionTokens >= 501,
            $"upstream sent no usage; ledger charged {row.PromptTokens}+{row.CompletionTokens}, less than the reservation (prompt + 500)");
        Assert.Equal("reservation", Ledger.UsageSource(row));
    }

    [Fact]
    public async Task Row03_HundredKilobyteToolsArray_IsChargedByItsSize()
    {
        await using var host = await MoatTestHost.StartAsync();
        var customer = await host.CreateCustomerAsync(tier: "enterprise");
        var chat = host.OpenAi(customer.Secret).GetChatClient(M);
        var words = new[] { "inventory", "warehouse", "shipment", "customer", "invoice", "quantity", "supplier", "delivery", "barcode", "pallet" };
        var random = new Random(7);
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 5 };
        var toolsBytes = 0;
        for (var t = 0; toolsBytes < 100 * 1024; t++)
        {
            var description = string.Join(' ', Enumerable.Range(0, 150).Select(_ => words[random.Next(words.Length)] + random.Next(1000)));
            var parameters = "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\",\"description\":\"" + description[..200] + "\"}}}";
            options.Tools.Add(ChatTool.CreateFunctionTool($"tool_{t}", description, BinaryData.FromString(parameters)));
            toolsBytes += Encoding.UTF8.GetByteCount(description) + parameters.Length + 40;
        }

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("hi")], options);

        Assert.NotNull(completion);
        var row = Assert.Single(await host.LedgerAsync(customer.OrgId));
        Assert.True(row.PromptTokens >= toolsBytes / 8,
            $"a {toolsBytes}-byte tools array (~{toolsBytes / 4} tokens) was charged {row.PromptTokens} prompt tokens");
    }
}
