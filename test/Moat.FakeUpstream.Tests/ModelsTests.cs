using System.Net;

namespace Moat.FakeUpstream.Tests;

public sealed class ModelsTests
{
    [Fact]
    public async Task Models_List_ReturnsConfiguredModels()
    {
        await using var server = await FakeUpstreamServer.StartAsync(o => o.Models = ["alpha", "org/beta"]);

        var json = await server.GetForJsonAsync("/v1/models");

        Assert.Equal("list", (string)json["object"]!);
        var data = json["data"]!.AsArray();
        Assert.Equal(["alpha", "org/beta"], data.Select(m => (string)m!["id"]!));
        Assert.All(data, m =>
        {
            Assert.Equal("model", (string)m!["object"]!);
            Assert.Equal("moat-fake", (string)m["owned_by"]!);
            Assert.True((long)m["created"]! > 0);
        });
    }

    [Fact]
    public async Task Models_ConfigurationArgs_ReplaceDefaultModel()
    {
        await using var server = await FakeUpstreamServer.StartAsync(null, "--FakeUpstream:Models:0=from-config");

        var json = await server.GetForJsonAsync("/v1/models");

        Assert.Equal(["from-config"], json["data"]!.AsArray().Select(m => (string)m!["id"]!));
    }

    [Fact]
    public async Task Models_GetKnownId_ReturnsModel()
    {
        await using var server = await FakeUpstreamServer.StartAsync(o => o.Models = ["alpha", "org/beta"]);

        var json = await server.GetForJsonAsync("/v1/models/org/beta");

        Assert.Equal("org/beta", (string)json["id"]!);
    }

    [Fact]
    public async Task Models_GetUnknownId_Returns404ModelNotFound()
    {
        await using var server = await FakeUpstreamServer.StartAsync();

        using var response = await server.Client.GetAsync("/v1/models/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("model_not_found", await response.Content.ReadAsStringAsync());
    }
}
