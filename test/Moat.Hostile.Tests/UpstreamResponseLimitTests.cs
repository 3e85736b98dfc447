using System.Diagnostics;
using Moat.Hostile.Tests.Infrastructure;
using Moat.Testing;

namespace Moat.Hostile.Tests;

/// <summary>Row 11: an upstream that answers a non-streaming request with a body far larger than the configured maximum.</summary>
[Collection(Serial.Name)]
public sealed class UpstreamResponseLimitTests
{
    private const long MaxResponseBytes = 1024 * 1024;
    private const long UpstreamSends = 64L * 1024 * 1024;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Row11_OversizedUpstreamBody_Is502UpstreamErrorAndMemoryStaysBounded(bool declareLength)
    {
        long upstreamSent = 0;
        await using var upstream = await ScriptedUpstream.StartAsync(
            ScriptedUpstream.EndlessJson(UpstreamSends, declareLength, sent => Interlocked.Exchange(ref upstreamSent, sent)));
        await using var host = await Hosts.InFrontOfAsync(upstream, b => b
            .Set("Moat:Gateway:MaxResponseBytes", MaxResponseBytes)
            .Set("Moat:Limits:UpstreamTimeoutSeconds", 20));
        var customer = await host.CreateCustomerAsync();
        using var http = host.Http(customer.Secret);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var now = GC.GetTotalMemory(false);
                if (now > Interlocked.Read(ref peak))
                {
                    Interlocked.Exchange(ref peak, now);
                }
                await Task.Delay(10);
            }
        });
        var clock = Stopwatch.StartNew();

        var (status, text, _) = await Hosts.PostJsonAsync(http, "/v1/chat/completions",
            "{\"model\":\"" + MoatTestHost.Model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        var sentWhenAnswered = Interlocked.Read(ref upstreamSent);
        await stop.CancelAsync();
        await sampler;

        Assert.True(status == 502, $"an upstream body over Moat:Gateway:MaxResponseBytes answered {status} after {clock.ElapsedMilliseconds} ms: {text[..Math.Min(300, text.Length)]}");
        Assert.Equal("upstream_error", Errors.AssertShape(text));
        Assert.True(sentWhenAnswered < UpstreamSends / 2,
            $"the gateway kept reading: the upstream had sent {sentWhenAnswered / 1024 / 1024} MB when the client got its answer");
        var growth = (Interlocked.Read(ref peak) - baseline) / 1024 / 1024;
        Assert.True(growth < 48, $"managed memory grew by {growth} MB while relaying a response capped at 1 MB");
    }
}
