using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Moat.Core.Quotas;
using Moat.Hostile.Tests.Infrastructure;
using Moat.Testing;

namespace Moat.Hostile.Tests;

/// <summary>Rows 1 and 2: a customer shapes the request so the token reservation is smaller than what it will be served.</summary>
public sealed class QuotaEvasionTests
{
    private const string M = MoatTestHost.Model;
    private static readonly DateTimeOffset Noon = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Row01_MaxCompletionTokens_ReservesTheLarger()
    {
        // 600 tokens per minute; each request asks for 3000 completion tokens but also says max_tokens 1.
        await using var host = await MoatTestHost.StartAsync(b => b.Time = new FakeTimeProvider(Noon));
        var customer = await host.CreateCustomerAsync(limits: new QuotaLimits(null, 600, null));
        using var http = host.Http(customer.Secret);
        const string body = "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Write a long essay about the sea.\"}],\"max_completion_tokens\":3000,\"max_tokens\":1}";
        using var start = new SemaphoreSlim(0);

        var racers = Enumerable.Range(0, 20).Select(async _ =>
        {
            await start.WaitAsync();
            var (status, text, _) = await Hosts.PostJsonAsync(http, "/v1/chat/completions", body);
            return (status, text);
        }).ToArray();
        start.Release(20);
        var answers = await Task.WhenAll(racers);

        var admitted = answers.Count(a => a.status == 200);
        Assert.True(admitted <= 1, $"{admitted} of 20 requests reserving 3000 tokens each were admitted under a 600 TPM limit (the gateway reserved max_tokens=1, not max_completion_tokens=3000)");
        foreach (var (status, text) in answers.Where(a => a.status != 200))
        {
            Assert.Equal(429, status);
            Assert.Equal("rate_limit_exceeded", Errors.AssertShape(text));
            Assert.Contains("token", Errors.Message(text), StringComparison.OrdinalIgnoreCase);
        }
    }

    public static TheoryData<string, string> AmplifiedCompletions() => new()
    {
        { "60 prompts", "{\"model\":\"" + M + "\",\"prompt\":[" + string.Join(",", Enumerable.Range(0, 60).Select(i => $"\"Tell me a story about lighthouse number {i}.\"")) + "],\"max_tokens\":200}" },
        { "n=20", "{\"model\":\"" + M + "\",\"prompt\":\"Tell me a story about a lighthouse.\",\"max_tokens\":200,\"n\":20}" },
    };

    [Theory]
    [MemberData(nameof(AmplifiedCompletions))]
    public async Task Row02_LegacyCompletionsFanOut_ServesAtMostTheTokensPerMinute(string name, string body)
    {
        await using var host = await MoatTestHost.StartAsync(b => b.Time = new FakeTimeProvider(Noon));
        var customer = await host.CreateCustomerAsync(limits: new QuotaLimits(null, 400, null));
        using var http = host.Http(customer.Secret);

        long served = 0;
        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var (status, text, _) = await Hosts.PostJsonAsync(http, "/v1/completions", body);
            statuses.Add(status);
            if (status == 200)
            {
                served += JsonDocument.Parse(text).RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt64();
            }
            else
            {
                Assert.Equal(429, status);
                Assert.Equal("rate_limit_exceeded", Errors.AssertShape(text));
            }
        }

        Assert.True(served <= 440, $"{name}: {served} tokens served within one minute under a 400 TPM limit (statuses {string.Join(",", statuses)})");
    }

    [Fact]
    public async Task Row02_BestOf_ReservesBestOfTimesMaxTokens()
    {
        await using var host = await MoatTestHost.StartAsync(b => b.Time = new FakeTimeProvider(Noon));
        var customer = await host.CreateCustomerAsync(limits: new QuotaLimits(null, 400, null));
        using var http = host.Http(customer.Secret);
        const string body = "{\"model\":\"" + M + "\",\"prompt\":\"Tell me a story about a lighthouse.\",\"max_tokens\":200,\"best_of\":20,\"n\":1}";

        var (status, text, _) = await Hosts.PostJsonAsync(http, "/v1/completions", body);

        // best_of=20 makes the model generate 20 × 200 tokens: far over a 400 TPM limit, so it must not be admitted
        // (429), unless the gateway refuses best_of outright (400).
        Assert.True(status is 429 or 400, $"best_of=20 × max_tokens=200 admitted under 400 TPM: {status} {text}");
        Assert.Contains(Errors.AssertShape(text), new[] { "rate_limit_exceeded", "invalid_request_error" });
    }
}

/// <summary>Row 1: duplicate JSON keys let a request say one thing to the gateway's parser and another to the upstream's.</summary>
public sealed class DuplicateKeyTests(PlainHost plain) : IClassFixture<PlainHost>
{
    private const string M = MoatTestHost.Model;

    public static TheoryData<string, string> DuplicateKeyBodies() => new()
    {
        { "chat/completions", "{\"model\":\"" + M + "\",\"model\":\"gpt-other\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1,\"max_tokens\":4000}" },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('x', 2000) + "\"}]}" },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"content\":\"" + new string('y', 2000) + "\"}]}" },
        { "chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":false,\"stream\":true}" },
        { "completions", "{\"model\":\"" + M + "\",\"prompt\":\"hi\",\"prompt\":[\"a\",\"b\",\"c\"],\"max_tokens\":5}" },
        { "completions", "{\"model\":\"" + M + "\",\"prompt\":\"hi\",\"n\":1,\"n\":50}" },
        { "embeddings", "{\"model\":\"" + M + "\",\"input\":\"hi\",\"input\":[\"a\",\"b\"]}" },
    };

    [Theory]
    [MemberData(nameof(DuplicateKeyBodies))]
    public async Task Row01_DuplicateJsonKeys_Are400InvalidRequest(string path, string body)
    {
        var (status, text, _) = await Hosts.PostJsonAsync(plain.Http, "/v1/" + path, body);

        Assert.True(status == 400, $"duplicate key answered {status}: {text}");
        Assert.Equal("invalid_request_error", Errors.AssertShape(text));
    }
}
