using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moat.FakeUpstream;
using Moat.Functional.Tests.Infrastructure;
using Moat.Testing;
using OpenAI.Chat;

namespace Moat.Functional.Tests;

/// <summary>Failover to the next upstream when one refuses connections, drops them or answers 5xx before any byte.</summary>
public sealed class FailoverTests
{
    private static string ClosedPortUrl()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/v1";
    }

    private static async Task<JsonElement> StatsAsync(Microsoft.AspNetCore.Builder.WebApplication upstream)
    {
        using var http = new HttpClient { BaseAddress = new Uri(upstream.Urls.First()) };
        return JsonDocument.Parse(await http.GetStringAsync("/_fake/stats")).RootElement;
    }

    private static async Task ConfigureAsync(Microsoft.AspNetCore.Builder.WebApplication upstream, object config)
    {
        using var http = new HttpClient { BaseAddress = new Uri(upstream.Urls.First()) };
        var response = await http.PostAsync("/_fake/config", new StringContent(JsonSerializer.Serialize(config), System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task RefusedUpstream_RequestsFailOverAndAllSucceed()
    {
        await using var host = await MoatTestHost.StartAsync(b => b.ExtraUpstreamUrls.Add(ClosedPortUrl()));
        var customer = await host.CreateCustomerAsync();
        var chat = host.OpenAi(customer.Secret).GetChatClient(MoatTestHost.Model);

        for (var i = 0; i < 20; i++)
        {
            var completion = await chat.CompleteChatAsync([new UserChatMessage($"question {i}")]);
            Assert.NotEmpty(completion.Value.Content[0].Text);
        }
        Assert.Equal(20, (await StatsAsync(host.Upstreams[0])).GetProperty("requests").GetInt32());
    }

    [Fact]
    public async Task UpstreamAnswering5xx_FailsOverToHealthyOne()
    {
        await using var host = await MoatTestHost.StartAsync(b => b.UpstreamCount = 2);
        await ConfigureAsync(host.Upstreams[0], new { FailureRate = 1.0, FailureStatus = 500 });
        var customer = await host.CreateCustomerAsync();
        var chat = host.OpenAi(customer.Secret).GetChatClient(MoatTestHost.Model);

        for (var i = 0; i < 20; i++)
        {
            await chat.CompleteChatAsync([new UserChatMessage($"question {i}")]);
        }
        var healthy = await StatsAsync(host.Upstreams[1]);
        Assert.Equal(20, healthy.GetProperty("chat").GetInt32());
    }

    [Fact]
    public async Task UpstreamDroppingConnections_FailsOverToHealthyOne()
    {
        await using var host = await MoatTestHost.StartAsync(b => b.UpstreamCount = 2);
        await ConfigureAsync(host.Upstreams[1], new { DropRate = 1.0 });
        var customer = await host.CreateCustomerAsync();
        var chat = host.OpenAi(customer.Secret).GetChatClient(MoatTestHost.Model);

        for (var i = 0; i < 10; i++)
        {
            await chat.CompleteChatAsync([new UserChatMessage($"question {i}")]);
        }
        Assert.Equal(10, (await StatsAsync(host.Upstreams[0])).GetProperty("chat").GetInt32());
    }

    [Fact]
    public async Task WeightedUpstreams_ShareTrafficByWeight()
    {
        await using var host = await MoatTestHost.StartAsync(b =>
        {
            b.UpstreamCount = 2;
            b.Set("Moat:Models:0:Upstreams:0:Weight", 3);
            b.Set("Moat:Models:0:Upstreams:1:Weight", 1);
        });
        var customer = await host.CreateCustomerAsync();
        var chat = host.OpenAi(customer.Secret).GetChatClient(MoatTestHost.Model);

        for (var i = 0; i < 200; i++)
        {
            await chat.CompleteChatAsync([new UserChatMessage("q")]);
        }
        var heavy = (await StatsAsync(host.Upstreams[0])).GetProperty("chat").GetInt32();
        Assert.InRange(heavy, 120, 180); // expected 150 of 200
    }
}
