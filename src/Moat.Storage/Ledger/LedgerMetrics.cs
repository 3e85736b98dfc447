using System.Diagnostics.Metrics;

namespace Moat.Storage;

/// <summary>Instruments of the "Moat.Ledger" meter (queue depth and back-pressure waits are the ledger sink's, on "Moat.Sinks").</summary>
internal sealed class LedgerMetrics
{
    public const string MeterName = "Moat.Ledger";

    private readonly Counter<long> _recordsWritten;
    private readonly Histogram<double> _batchDuration;
    private readonly Counter<long> _writeFailures;
    private readonly Histogram<double> _walCommitDuration;
    private readonly Histogram<int> _walCommitRecords;

    public LedgerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _recordsWritten = meter.CreateCounter<long>("moat.ledger.records_written", "{record}", "Usage records durably written.");
        _batchDuration = meter.CreateHistogram<double>("moat.ledger.batch_duration", "ms", "Time to write one batch, retries included.");
        _writeFailures = meter.CreateCounter<long>("moat.ledger.write_failures", "{failure}", "Failed batch write attempts (each is retried).");
        _walCommitDuration = meter.CreateHistogram<double>("moat.ledger.wal_commit_duration", "ms", "Write plus fsync of one write-ahead group commit; writers of the batch waited this long.");
        _walCommitRecords = meter.CreateHistogram<int>("moat.ledger.wal_commit_records", "{record}", "Records made durable by one write-ahead group commit.");
    }

    public void BatchWritten(int records, TimeSpan duration)
    {
        _recordsWritten.Add(records);
        _batchDuration.Record(duration.TotalMilliseconds);
    }

    public void WriteFailed() => _writeFailures.Add(1);

    public void WalCommitted(int records, TimeSpan duration)
    {
        _walCommitRecords.Record(records);
        _walCommitDuration.Record(duration.TotalMilliseconds);
    }

}
