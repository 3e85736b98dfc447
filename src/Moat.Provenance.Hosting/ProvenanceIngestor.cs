using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Core.Signals;
using Moat.Core.Sinks;

namespace Moat.Provenance.Hosting;

/// <summary>
/// Takes served outputs off the request path through a <see cref="BoundedSink{T}"/> and fingerprints them into the
/// provenance index in the background. When the queue is full an output is dropped and counted rather than slowing a client.
/// </summary>
public sealed partial class ProvenanceIngestor : BackgroundService, IServedOutputSink
{
    private const int Capacity = 50_000;

    private readonly BoundedSink<ServedOutput> _sink;
    private readonly IProvenanceIndex _index;
    private readonly TimeSpan _flushInterval;
    private readonly TimeProvider _time;
    private readonly ILogger<ProvenanceIngestor> _logger;
    private long _lastFlush;

    public ProvenanceIngestor(IProvenanceIndex index, IOptions<ProvenanceOptions> options, TimeProvider time, IMeterFactory meters, ILogger<ProvenanceIngestor> logger)
    {
        _index = index;
        _time = time;
        _logger = logger;
        _flushInterval = TimeSpan.FromMilliseconds(Math.Max(10, options.Value.FlushIntervalMs));
        _lastFlush = time.GetTimestamp();
        // Never block a client: a full queue refuses the newest output (counted as moat.sink.dropped{moat.sink=provenance}).
        _sink = new BoundedSink<ServedOutput>(new BoundedSinkOptions("provenance", Capacity, SinkFullMode.DropNewest), IndexBatchAsync, meters, time);
        var meter = meters.Create("Moat.Provenance");
        // A gauge must not wait for an index that is still opening: no measurement until it is open.
        meter.CreateObservableGauge("moat.provenance.entries", () => _index is BackgroundOpenedIndex opening ? Entries(opening) : [new(_index.Count)], "{output}", "Live entries in the provenance index.");
    }

    public void Post(ServedOutput output) => _sink.TryWrite(output);

    private static Measurement<long>[] Entries(BackgroundOpenedIndex index) => index.EntriesIfOpen is { } entries ? [new(entries)] : [];

    /// <summary>Completes once everything posted before the call is indexed and the index is flushed to disk.</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        await _sink.WhenIdleAsync(cancellationToken).ConfigureAwait(false);
        _index.Flush();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _sink.RunAsync(stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Index what is queued while the host allows; cancelling the loop (base) then abandons the rest.
        try
        {
            await _sink.DrainAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _index.Flush();
    }

    private ValueTask IndexBatchAsync(IReadOnlyList<ServedOutput> batch, CancellationToken cancellationToken)
    {
        foreach (var output in batch)
        {
            try
            {
                _index.Add(new ServedText(output.OrgId, output.KeyId, output.RequestId, output.Model, output.ServedAt, output.Text) { Prompt = output.Prompt });
            }
            catch (Exception ex) when (ex is IOException or ArgumentException)
            {
                IndexingFailed(_logger, output.RequestId, ex);
            }
        }
        if (_time.GetElapsedTime(_lastFlush) >= _flushInterval)
        {
            _index.Flush();
            _lastFlush = _time.GetTimestamp();
        }
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Could not index the output of request {RequestId}")]
    private static partial void IndexingFailed(ILogger logger, string requestId, Exception exception);
}
