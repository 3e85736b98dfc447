using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Moat.FakeUpstream.Tests;

public sealed class FakeUpstreamHostTests
{
    [Fact]
    public async Task Create_ConfigurationArgument_SetsOption()
    {
        await using var server = await FakeUpstreamServer.StartAsync(null, "--FakeUpstream:LatencyMs=150");
        var clock = Stopwatch.StartNew();

        await server.ChatTextAsync("configured latency");

        Assert.True(clock.ElapsedMilliseconds >= 140, $"answered after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Create_InvalidOptions_Throws()
    {
        Assert.Throws<OptionsValidationException>(() => FakeUpstreamHost.Create(["--urls", "http://127.0.0.1:0"], o => o.WordsPerChunk = 0));
    }

    [Fact]
    public void Create_MissingReplayFile_Throws()
    {
        Assert.ThrowsAny<IOException>(() => FakeUpstreamHost.Create(["--urls", "http://127.0.0.1:0"], o => o.ReplayFile = "/no/such/file.jsonl"));
    }
}
