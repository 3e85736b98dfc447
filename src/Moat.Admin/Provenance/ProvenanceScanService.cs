using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Admin.Hosting;
using Moat.Provenance;
using Moat.Provenance.Scan;

namespace Moat.Admin.Provenance;

/// <summary>
/// Runs dataset scans: synchronously for the API's <c>POST /provenance/scan</c>, or as background jobs with progress for
/// the CLI and the console. One scan searches at a time (each uses every core); later ones queue. Jobs are kept for
/// <see cref="Retention"/> after they finish (the newest <see cref="MaxJobs"/>), on disk as well as in memory
/// (<see cref="ScanJobStore"/>), so a restart keeps results and reports a job it interrupted as failed; attach a result to
/// a case to keep it for good.
/// </summary>
public sealed class ProvenanceScanService : IDisposable
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    public const int MaxJobs = 100;

    /// <summary>The error of a job the process stopped before it finished.</summary>
    public const string InterruptedError = "Interrupted: the server stopped before the scan finished. Submit the dataset again.";

    private readonly ConcurrentDictionary<string, ScanJob> _jobs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly DatasetScanner _scanner;
    private readonly IOptions<ProvenanceOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ProvenanceScanService> _logger;
    private readonly ScanJobStore _store;
    private volatile bool _stopping;

    public ProvenanceScanService(IProvenanceIndex index, IOptions<ProvenanceOptions> options, TimeProvider time, ILogger<ProvenanceScanService> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _scanner = new DatasetScanner(index, options.Value.Scan);
        _store = new ScanJobStore(Path.Combine(options.Value.Directory, "scans"));
        Restore();
    }

    public ProvenanceScanOptions Options => _options.Value.Scan;

    public NullModel NullModel => _scanner.NullModel;

    /// <summary>Where upload spools are written (the system temp folder).</summary>
    public static string SpoolDirectory => Path.Combine(Path.GetTempPath(), "moat-scan-spool");

    /// <summary>Starts a background scan that owns (and disposes) the spool.</summary>
    public ScanJob Start(PassageSpool spool, string? name, string actor)
    {
        ArgumentNullException.ThrowIfNull(spool);
        Prune();
        var job = new ScanJob("scan_" + Guid.NewGuid().ToString("N")[..20], string.IsNullOrWhiteSpace(name) ? null : name, actor, _time.GetUtcNow(), spool.Count);
        _jobs[job.Id] = job;
        Save(job);
        _ = Task.Run(() => RunAsync(job, spool));
        return job;
    }

    public ScanJob? Get(string id) => _jobs.TryGetValue(id, out var job) ? job : null;

    /// <summary>Jobs, newest first.</summary>
    public IReadOnlyList<ScanJob> List()
    {
        Prune();
        return [.. _jobs.Values.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id, StringComparer.Ordinal)];
    }

    /// <summary>Asks a queued or running job to stop; false when it had already finished.</summary>
    public bool Cancel(string id)
    {
        if (!_jobs.TryGetValue(id, out var job) || job.IsFinished) return false;
        job.Cancellation.Cancel();
        return true;
    }

    private async Task RunAsync(ScanJob job, PassageSpool spool)
    {
        using (spool)
        {
            try
            {
                await _oneAtATime.WaitAsync(job.Cancellation.Token).ConfigureAwait(false);
                try
                {
                    job.MarkRunning(_time.GetUtcNow());
                    Save(job);
                    var progress = new Progress(job);
                    var result = _scanner.Scan(spool.Read(), progress, spool.Count, job.Cancellation.Token);
                    job.Complete(result, _time.GetUtcNow());
                    AdminLog.ProvenanceScanned(_logger, result.Passages, result.Verdict, result.Accounts.Count > 0 ? result.Accounts[0].OrgId : "-",
                        (job.FinishedAt!.Value - job.StartedAt!.Value).TotalSeconds);
                }
                finally
                {
                    _oneAtATime.Release();
                }
            }
            catch (OperationCanceledException) when (_stopping)
            {
                job.Fail(ScanJob.Failed, InterruptedError, _time.GetUtcNow());
            }
            catch (OperationCanceledException)
            {
                job.Fail(ScanJob.Cancelled, "The scan was cancelled.", _time.GetUtcNow());
            }
            catch (Exception error)
            {
                // Whatever went wrong (Parallel.ForEach wraps a searcher's failure in an AggregateException), the job must
                // finish: a waiting synchronous request and a polling client would otherwise wait for ever.
                AdminLog.ProvenanceScanFailed(_logger, job.Id, error);
                var cause = error is AggregateException { InnerExceptions.Count: > 0 } many ? many.InnerExceptions[0] : error;
                job.Fail(ScanJob.Failed, "The scan failed: " + cause.Message, _time.GetUtcNow());
            }
            finally
            {
                Settle(job);
            }
        }
    }

    /// <summary>Reads the stored jobs back: finished ones as they were, unfinished ones failed (their spool is gone).</summary>
    private void Restore()
    {
        var interrupted = 0;
        foreach (var record in _store.Load((path, error) => AdminLog.ProvenanceScanStoreFailed(_logger, path, error)))
        {
            var job = ScanJob.Restore(record);
            if (!job.IsFinished)
            {
                job.Fail(ScanJob.Failed, InterruptedError, record.FinishedAt ?? _time.GetUtcNow());
                Settle(job);
                interrupted++;
            }
            _jobs[job.Id] = job;
        }
        if (!_jobs.IsEmpty)
        {
            AdminLog.ProvenanceScansRestored(_logger, _jobs.Count, interrupted);
        }
        Prune();
    }

    /// <summary>
    /// A finished job: stored before anyone waiting hears it finished, so a restart right after reads the final state back.
    /// </summary>
    private void Settle(ScanJob job)
    {
        Save(job);
        job.Release();
    }

    /// <summary>Writes the job.</summary>
    private void Save(ScanJob job) => OnDisk(store =>
    {
        // A job is saved from the request that starts it and from its run: one writer at a time per temp file.
        lock (store)
        {
            store.Save(job);
        }
    });

    private void Forget(string id)
    {
        if (_jobs.TryRemove(id, out _)) OnDisk(store => store.Delete(id));
    }

    /// <summary>Does one thing to the job store; a disk that refuses is logged, never a job's failure.</summary>
    private void OnDisk(Action<ScanJobStore> action)
    {
        try
        {
            action(_store);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            AdminLog.ProvenanceScanStoreFailed(_logger, _store.Directory, error);
        }
    }

    private void Prune()
    {
        var cutoff = _time.GetUtcNow() - Retention;
        foreach (var job in _jobs.Values)
        {
            if (job.IsFinished && job.FinishedAt < cutoff) Forget(job.Id);
        }

        var finished = _jobs.Values.Where(j => j.IsFinished).OrderByDescending(j => j.FinishedAt).Skip(MaxJobs).ToList();
        foreach (var job in finished) Forget(job.Id);
    }

    /// <summary>Asks every unfinished job to stop (the host is shutting down).</summary>
    public void Dispose()
    {
        _stopping = true;
        foreach (var job in _jobs.Values) job.Cancellation.Cancel();
    }

    private sealed class Progress(ScanJob job) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value) => job.Report(value.Scanned);
    }
}

/// <summary>A background dataset scan: its progress while it runs, its result once it completes.</summary>
public sealed class ScanJob(string id, string? name, string createdBy, DateTimeOffset createdAt, long total)
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    private long _scanned;

    public string Id { get; } = id;
    public string? Name { get; } = name;
    public string CreatedBy { get; } = createdBy;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public long Total { get; } = total;
    public string Status { get; private set; } = Queued;
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public DatasetScanResult? Result { get; private set; }
    public string? Error { get; private set; }
    public long Scanned => Interlocked.Read(ref _scanned);
    public bool IsFinished => Status is Completed or Failed or Cancelled;
    internal CancellationTokenSource Cancellation { get; } = new();

    internal void Report(long scanned) => Interlocked.Exchange(ref _scanned, scanned);

    /// <summary>A job as it was stored (<see cref="ScanJobStore"/>).</summary>
    internal static ScanJob Restore(ScanJobRecord record)
    {
        var job = new ScanJob(record.Id, record.Name, record.CreatedBy, record.CreatedAt, record.Total)
        {
            Status = record.Status,
            StartedAt = record.StartedAt,
            FinishedAt = record.FinishedAt,
            Result = record.Result,
            Error = record.Error,
        };
        job._scanned = record.Scanned;
        if (job.IsFinished) job._done.TrySetResult();
        return job;
    }

    internal void MarkRunning(DateTimeOffset at)
    {
        StartedAt = at;
        Status = Running;
    }

    internal void Complete(DatasetScanResult result, DateTimeOffset at)
    {
        Result = result;
        Interlocked.Exchange(ref _scanned, result.Passages);
        FinishedAt = at;
        Status = Completed;
    }

    internal void Fail(string status, string error, DateTimeOffset at)
    {
        Error = error;
        FinishedAt = at;
        Status = status;
    }

    /// <summary>Tells those waiting on <see cref="Finished"/> (once the final state is stored).</summary>
    internal void Release() => _done.TrySetResult();

    /// <summary>Completes when the job has finished, whichever way.</summary>
    public Task Finished => _done.Task;

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
