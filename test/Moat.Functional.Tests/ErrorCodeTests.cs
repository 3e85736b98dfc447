using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using Moat.Core.Access;
using Moat.Core.Quotas;
using Moat.Functional.Tests.Infrastructure;
using Moat.Testing;
using OpenAI.Chat;

namespace Moat.Functional.Tests;

/// <summary>Each documented error surfaces through the official SDK with its status and code.</summary>
public sealed class ErrorCodeTests : IAsyncLifetime
{
    private MoatTestHost _host = null!;

    public async Task InitializeAsync() => _host = await MoatTestHost.StartAsync(b => b.Set("Moat:Limits:MaxBodyBytes", 64 * 1024));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<ClientResultException> ChatFails(ChatClient chat, ChatCompletionOptions? options = null) =>
        await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hello")], options));

    [Fact]
    public async Task WrongKey_Is401InvalidApiKey()
    {
        var error = await ChatFails(_host.OpenAi("moat-sk-not-a-real-key").GetChatClient(MoatTestHost.Model));
        Assert.Equal(401, error.Status);
        Assert.Equal("invalid_api_key", Errors.Code(error));
    }

    [Fact]
    public async Task MissingAuthorization_Is401InvalidApiKey()
    {
        using var http = _host.Http();
        var response = await http.PostAsJsonAsync("/v1/chat/completions", new { model = MoatTestHost.Model });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", Errors.AssertShape(await response.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData(OrgState.Pending, "access_not_approved")]
    [InlineData(OrgState.Suspended, "account_suspended")]
    [InlineData(OrgState.Terminated, "account_terminated")]
    public async Task UnservedState_Is403WithStateCode(OrgState state, string code)
    {
        var customer = await _host.CreateCustomerAsync(state: state);
        var error = await ChatFails(_host.OpenAi(customer.Secret).GetChatClient(MoatTestHost.Model));
        Assert.Equal(403, error.Status);
        Assert.Equal(code, Errors.Code(error));
    }

    [Fact]
    public async Task ModelOutsideTier_Is403ModelNotAllowed()
    {
        var customer = await _host.CreateCustomerAsync(tier: "restricted");
        var error = await ChatFails(_host.OpenAi(customer.Secret).GetChatClient(MoatTestHost.OtherModel));
        Assert.Equal(403, error.Status);
        Assert.Equal("model_not_allowed", Errors.Code(error));
    }

    [Fact]
    public async Task UnknownModel_Is404ModelNotFound()
    {
        var customer = await _host.CreateCustomerAsync();
        var error = await ChatFails(_host.OpenAi(customer.Secret).GetChatClient("no-such-model"));
        Assert.Equal(404, error.Status);
        Assert.Equal("model_not_found", Errors.Code(error));
    }

    [Fact]
    public async Task OutOfRangeParameter_Is400InvalidRequest()
    {
        var customer = await _host.CreateCustomerAsync();
        var error = await ChatFails(_host.OpenAi(customer.Secret).GetChatClient(MoatTestHost.Model), new ChatCompletionOptions { Temperature = 7 });
        Assert.Equal(400, error.Status);
        Assert.Equal("invalid_request_error", Errors.Code(error));
    }

    [Fact]
    public async Task OversizedBody_Is413RequestTooLarge()
    {
        var customer = await _host.CreateCustomerAsync();
        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            _host.OpenAi(customer.Secret).GetChatClient(MoatTestHost.Model).CompleteChatAsync([new UserChatMessage(new string('x', 100 * 1024))]));
        Assert.Equal(413, error.Status);
        Assert.Equal("request_too_large", Errors.Code(error));
    }

    [Fact]
    public async Task RequestsPerMinuteExhausted_Is429RateLimitExceededWithRetryAfter()
    {
        var customer = await _host.CreateCustomerAsync(limits: new QuotaLimits(1, null, null));
        var chat = _host.OpenAi(customer.Secret).GetChatClient(MoatTestHost.Model);
        await chat.CompleteChatAsync([new UserChatMessage("one")]);

        var error = await ChatFails(chat);

        Assert.Equal(429, error.Status);
        Assert.Equal("rate_limit_exceeded", Errors.Code(error));
        Assert.True(error.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.InRange(int.Parse(retryAfter!, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
    }

    [Fact]
    public async Task DailyCapExhausted_Is429InsufficientQuota()
    {
        var customer = await _host.CreateCustomerAsync(limits: new QuotaLimits(null, null, 50));
        var error = await ChatFails(_host.OpenAi(customer.Secret).GetChatClient(MoatTestHost.Model), new ChatCompletionOptions { MaxOutputTokenCount = 100 });
        Assert.Equal(429, error.Status);
        Assert.Equal("insufficient_quota", Errors.Code(error));
        Assert.True(error.GetRawResponse()!.Headers.TryGetValue("Retry-After", out _));
    }
}

/// <summary>Upstream failures map to 502 upstream_error and 504 upstream_timeout.</summary>
public sealed class UpstreamErrorTests
{
    [Fact]
    public async Task AllUpstreamsFailing_Is502UpstreamError()
    {
        await using var host = await MoatTestHost.StartAsync(b => b.ConfigureUpstream = o => { o.FailureRate = 1; o.FailureStatus = 503; });
        var customer = await host.CreateCustomerAsync();
        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            host.OpenAi(customer.Secret).GetChatClient(MoatTestHost.Model).CompleteChatAsync([new UserChatMessage("hello")]));
        Assert.Equal(502, error.Status);
        Assert.Equal("upstream_error", Errors.Code(error));
    }

    [Fact]
    public async Task SlowUpstream_Is504UpstreamTimeout()
    {
        await using var host = await MoatTestHost.StartAsync(b =>
        {
            b.ConfigureUpstream = o => o.LatencyMs = 3000;
            b.Set("Moat:Limits:UpstreamTimeoutSeconds", 0.5);
        });
        var customer = await host.CreateCustomerAsync();
        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            host.OpenAi(customer.Secret).GetChatClient(MoatTestHost.Model).CompleteChatAsync([new UserChatMessage("hello")]));
        Assert.Equal(504, error.Status);
        Assert.Equal("upstream_timeout", Errors.Code(error));
    }
}
