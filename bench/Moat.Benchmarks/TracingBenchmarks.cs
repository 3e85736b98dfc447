using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Moat.Gateway.Parsing;
using Moat.Gateway.Telemetry;

namespace Moat.Benchmarks;

/// <summary>
/// The spans one chat completion opens on the request path (the call, the authenticate, admit, limit and settle stages, and the forward) with tracing off (no
/// listener: what every deployment without an OTLP endpoint runs) and on (a listener that records every span, as the
/// OTLP exporter's does). Each case runs in its own process, so the listener of one never touches the other.
/// </summary>
public class TracingBenchmarks
{
    private ActivityListener? _listener;

    [Params(false, true)]
    public bool Tracing { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (!Tracing)
        {
            return;
        }
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GatewayTracing.SourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [GlobalCleanup]
    public void Cleanup() => _listener?.Dispose();

    [Benchmark]
    public int RequestSpans()
    {
        var opened = 0;
        using var call = GatewayTracing.StartCall(ModelEndpoint.ChatCompletions);
        foreach (var stage in Stages)
        {
            using var span = GatewayTracing.StartStage(stage);
            opened += span is null ? 0 : 1;
        }
        using (var forward = GatewayTracing.StartForward("fake-model", "127.0.0.1:8081"))
        {
            opened += forward is null ? 0 : 1;
        }
        call?.SetTag("moat.decision", "Served");
        return opened;
    }

    private static readonly string[] Stages = ["moat.authenticate", "moat.admit", "moat.limit", "moat.settle"];
}
