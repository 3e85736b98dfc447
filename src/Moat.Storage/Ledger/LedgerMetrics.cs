using System.Diagnostics.Metrics;

namespace Moat.Storage;

/// <summary>Instruments of the "Moat.Ledger" meter.</summary>
internal sealed class LedgerMetrics
{
    public const string MeterName = "Moat.Ledger";

    private readonly Counter<long> _recordsWritten;
    private readonly Histogram<double> _batchDuration;
    private readonly Counter<long> _writeFailures;
    private readonly Counter<long> _backPressureWaits;

    public LedgerMetrics(IMeterFactory meterFactory, Func<int> queueDepth)
    {
        var meter = meterFactory.Create(MeterName);
        _recordsWritten = meter.CreateCounter<long>("moat.ledger.records_written", "{record}", "Usage records durably written.");
        _batchDuration = meter.CreateHistogram<double>("moat.ledger.batch_duration", "ms", "Time to write one batch, retries included.");
        _writeFailures = meter.CreateCounter<long>("moat.ledger.write_failures", "{failure}", "Failed batch write attempts (each is retried).");
        _backPressureWaits = meter.CreateCounter<long>("moat.ledger.backpressure_waits", "{wait}", "Writes that waited because the queue was full.");
        meter.CreateObservableGauge("moat.ledger.queue_depth", queueDepth, "{record}", "Records queued and not yet written.");
    }

    public void BatchWritten(int records, TimeSpan duration)
    {
        _recordsWritten.Add(records);
        _batchDuration.Record(duration.TotalMilliseconds);
    }

    public void WriteFailed() => _writeFailures.Add(1);

    public void BackPressure() => _backPressureWaits.Add(1);
}
