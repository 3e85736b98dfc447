using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Core.Signals;
using Moat.Provenance;

namespace Moat.Server.Provenance;

/// <summary>
/// Takes served outputs off the request path through a bounded channel and fingerprints them into the provenance
/// index in the background. When the channel is full an output is dropped and counted rather than slowing a client.
/// </summary>
public sealed partial class ProvenanceIngestor : BackgroundService, IServedOutputSink
{
    private readonly Channel<ServedOutput> _queue;
    private readonly IProvenanceIndex _index;
    private readonly TimeSpan _flushInterval;
    private readonly TimeProvider _time;
    private readonly ILogger<ProvenanceIngestor> _logger;
    private readonly Counter<long> _indexed;
    private readonly Counter<long> _dropped;
    private long _pending;

    public ProvenanceIngestor(IProvenanceIndex index, IOptions<ProvenanceOptions> options, TimeProvider time, IMeterFactory meters, ILogger<ProvenanceIngestor> logger)
    {
        _index = index;
        _time = time;
        _logger = logger;
        _flushInterval = TimeSpan.FromMilliseconds(Math.Max(10, options.Value.FlushIntervalMs));
        _queue = Channel.CreateBounded<ServedOutput>(new BoundedChannelOptions(50_000)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        }, _ => _dropped!.Add(1));
        var meter = meters.Create("Moat.Provenance");
        _indexed = meter.CreateCounter<long>("moat.provenance.indexed", "{output}", "Served outputs fingerprinted into the index.");
        _dropped = meter.CreateCounter<long>("moat.provenance.dropped", "{output}", "Served outputs not indexed because the queue was full.");
        meter.CreateObservableGauge("moat.provenance.entries", () => _index.Count, "{output}", "Live entries in the provenance index.");
    }

    public void Post(ServedOutput output) => _queue.Writer.TryWrite(output);

    /// <summary>Waits until everything posted so far is indexed and durable (tests and shutdown).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        while (_queue.Reader.Count > 0 || Interlocked.Read(ref _pending) > 0)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
        _index.Flush();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastFlush = _time.GetTimestamp();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                IndexAvailable();
                if (_time.GetElapsedTime(lastFlush) >= _flushInterval)
                {
                    _index.Flush();
                    lastFlush = _time.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        IndexAvailable();
        _index.Flush();
    }

    private void IndexAvailable()
    {
        while (_queue.Reader.TryRead(out var output))
        {
            Interlocked.Increment(ref _pending);
            try
            {
                _index.Add(new ServedText(output.OrgId, output.KeyId, output.RequestId, output.Model, output.ServedAt, output.Text) { Prompt = output.Prompt });
                _indexed.Add(1);
            }
            catch (Exception ex) when (ex is IOException or ArgumentException)
            {
                IndexingFailed(_logger, output.RequestId, ex);
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Could not index the output of request {RequestId}")]
    private static partial void IndexingFailed(ILogger logger, string requestId, Exception exception);
}
