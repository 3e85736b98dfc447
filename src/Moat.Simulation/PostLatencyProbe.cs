using System.Diagnostics;
using Moat.Core.Signals;
using Moat.Detection;

namespace Moat.Simulation;

/// <summary>Measures what detection costs the request path (<see cref="DetectionEngine.Post"/>) and what it costs in the background (<see cref="DetectionEngine.Process"/>).</summary>
public static class PostLatencyProbe
{
    public sealed record Measurement(double PostNanoseconds, double ProcessMicroseconds, long Posted, long Dropped);

    public static async Task<Measurement> MeasureAsync(int posts = 200_000)
    {
        var engine = DetectionEngine.Create(new DetectionOptions { ChannelCapacity = 65_536 });
        var features = Enumerable.Range(0, 64).Select(i => new RequestFeatures
        {
            RequestId = "r" + i,
            OrgId = "org-" + (i % 8),
            KeyId = "key-" + i,
            Model = "m",
            Endpoint = "/v1/chat/completions",
            Timestamp = DateTimeOffset.UnixEpoch.AddSeconds(i),
            UserPrompt = $"Question {i}: Natalia sold clips to {i} of her friends in April. How many clips did she sell? Think step by step.",
            MessageCount = 1,
        }).ToArray();
        using var cancellation = new CancellationTokenSource();
        var loop = Task.Run(() => engine.RunAsync(cancellation.Token));
        for (var i = 0; i < 10_000; i++)
        {
            engine.Post(features[i % features.Length]);
        }
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < posts; i++)
        {
            engine.Post(features[i % features.Length]);
        }
        var postNs = stopwatch.Elapsed.TotalNanoseconds / posts;
        await cancellation.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);

        var offline = DetectionEngine.Create();
        stopwatch.Restart();
        const int processed = 20_000;
        for (var i = 0; i < processed; i++)
        {
            offline.Process(features[i % features.Length]);
        }
        var processUs = stopwatch.Elapsed.TotalMicroseconds / processed;
        return new Measurement(postNs, processUs, engine.Posted, engine.Dropped);
    }
}
