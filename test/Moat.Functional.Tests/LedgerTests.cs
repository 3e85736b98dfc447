using System.Net.Http.Json;
using System.Text.Json;
using Moat.Core.Quotas;
using Moat.Functional.Tests.Infrastructure;
using Moat.Testing;
using OpenAI.Chat;

namespace Moat.Functional.Tests;

/// <summary>Every request with a valid key leaves exactly one ledger record, streams and failures included.</summary>
public sealed class LedgerTests
{
    [Fact]
    public async Task MixedTraffic_OneRecordPerRequest_TokenSumsMatchReportedUsage()
    {
        await using var host = await MoatTestHost.StartAsync();
        var customer = await host.CreateCustomerAsync(limits: new QuotaLimits(12, null, null));
        using var http = host.Http(customer.Secret);
        long reportedPrompt = 0, reportedCompletion = 0;

        for (var i = 0; i < 5; i++)
        {
            var body = await (await http.PostAsJsonAsync("/v1/chat/completions", new { model = MoatTestHost.Model, messages = new[] { new { role = "user", content = $"plain {i}" } } })).Content.ReadAsStringAsync();
            var usage = JsonDocument.Parse(body).RootElement.GetProperty("usage");
            reportedPrompt += usage.GetProperty("prompt_tokens").GetInt64();
            reportedCompletion += usage.GetProperty("completion_tokens").GetInt64();
        }
        for (var i = 0; i < 3; i++)
        {
            var events = await (await http.PostAsJsonAsync("/v1/chat/completions", new
            {
                model = MoatTestHost.Model,
                stream = true,
                stream_options = new { include_usage = true },
                messages = new[] { new { role = "user", content = $"stream {i}" } },
            })).Content.ReadAsStringAsync();
            var usageLine = events.Split("\n").Single(l => l.StartsWith("data: {", StringComparison.Ordinal) && l.Contains("\"prompt_tokens\"", StringComparison.Ordinal));
            var usage = JsonDocument.Parse(usageLine["data: ".Length..]).RootElement.GetProperty("usage");
            reportedPrompt += usage.GetProperty("prompt_tokens").GetInt64();
            reportedCompletion += usage.GetProperty("completion_tokens").GetInt64();
        }
        // Two refused by validation (refused attempts cost a request too), then six embeddings against what is left of
        // the 12 RPM: 2 admitted, 4 refused with 429 — the first refusal of the minute recorded in full, the rest summed
        // into one summary row when the minute is over.
        await http.PostAsJsonAsync("/v1/chat/completions", new { model = "missing-model", messages = new[] { new { role = "user", content = "x" } } });
        await http.PostAsync("/v1/chat/completions", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        var statuses = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            var response = await http.PostAsJsonAsync("/v1/embeddings", new { model = MoatTestHost.Model, input = $"embed {i}" });
            statuses.Add((int)response.StatusCode);
            if (response.IsSuccessStatusCode)
            {
                var usage = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("usage");
                reportedPrompt += usage.GetProperty("prompt_tokens").GetInt64();
            }
        }

        var records = await host.LedgerAsync(customer.OrgId);

        Assert.Equal(13, records.Count);
        Assert.Equal(13, records.Select(r => r.RequestId).Distinct().Count());
        Assert.Equal(3, records.Count(r => r.Stream));
        Assert.Equal(4, statuses.Count(s => s == 429));
        Assert.Single(records, r => r.Status == 429);
        Assert.Single(records, r => r.Status == 404 && r.ErrorCode == "model_not_found");
        Assert.Single(records, r => r.Status == 400 && r.ErrorCode == "invalid_request_error");
        Assert.Equal(reportedPrompt, records.Sum(r => r.PromptTokens));
        Assert.Equal(reportedCompletion, records.Sum(r => r.CompletionTokens));
        Assert.All(records, r => Assert.Equal(customer.KeyId, r.KeyId));
        Assert.All(records, r => Assert.Equal("127.0.0.1", r.ClientIp));
    }

    [Fact]
    public async Task StreamWithoutClientUsage_LedgerStillExact()
    {
        await using var host = await MoatTestHost.StartAsync();
        var customer = await host.CreateCustomerAsync();
        var chat = host.OpenAi(customer.Secret).GetChatClient(MoatTestHost.Model);
        ChatMessage[] messages = [new UserChatMessage("How do tides work?")];
        var whole = (await chat.CompleteChatAsync(messages)).Value;
        await foreach (var _ in chat.CompleteChatStreamingAsync(messages))
        {
        }

        var records = await host.LedgerAsync(customer.OrgId);

        var streamed = Assert.Single(records, r => r.Stream);
        Assert.Equal(whole.Usage.InputTokenCount, streamed.PromptTokens);
        Assert.Equal(whole.Usage.OutputTokenCount, streamed.CompletionTokens);
        Assert.Equal(200, streamed.Status);
    }
}
