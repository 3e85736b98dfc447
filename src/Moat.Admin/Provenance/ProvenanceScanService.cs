using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Admin.Hosting;
using Moat.Provenance;
using Moat.Provenance.Scan;

namespace Moat.Admin.Provenance;

/// <summary>
/// Runs dataset scans: synchronously for the API's <c>POST /provenance/scan</c>, or as background jobs with progress for
/// the CLI and the console. One scan searches at a time (each uses every core); later ones queue. Finished jobs are kept
/// in memory for <see cref="Retention"/> (the newest <see cref="MaxJobs"/>); attach a result to a case to keep it.
/// </summary>
public sealed class ProvenanceScanService(IProvenanceIndex index, IOptions<ProvenanceOptions> options, TimeProvider time, ILogger<ProvenanceScanService> logger) : IDisposable
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    public const int MaxJobs = 100;

    private readonly ConcurrentDictionary<string, ScanJob> _jobs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly DatasetScanner _scanner = new(index, options.Value.Scan);

    public ProvenanceScanOptions Options => options.Value.Scan;

    public NullModel NullModel => _scanner.NullModel;

    /// <summary>Where upload spools are written (the system temp folder).</summary>
    public static string SpoolDirectory => Path.Combine(Path.GetTempPath(), "moat-scan-spool");

    /// <summary>Starts a background scan that owns (and disposes) the spool.</summary>
    public ScanJob Start(PassageSpool spool, string? name, string actor)
    {
        ArgumentNullException.ThrowIfNull(spool);
        Prune();
        var job = new ScanJob("scan_" + Guid.NewGuid().ToString("N")[..20], string.IsNullOrWhiteSpace(name) ? null : name, actor, time.GetUtcNow(), spool.Count);
        _jobs[job.Id] = job;
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
                    job.MarkRunning(time.GetUtcNow());
                    var progress = new Progress(job);
                    var result = _scanner.Scan(spool.Read(), progress, spool.Count, job.Cancellation.Token);
                    job.Complete(result, time.GetUtcNow());
                    AdminLog.ProvenanceScanned(logger, result.Passages, result.Verdict, result.Accounts.Count > 0 ? result.Accounts[0].OrgId : "-",
                        (job.FinishedAt!.Value - job.StartedAt!.Value).TotalSeconds);
                }
                finally
                {
                    _oneAtATime.Release();
                }
            }
            catch (OperationCanceledException)
            {
                job.Fail(ScanJob.Cancelled, "The scan was cancelled.", time.GetUtcNow());
            }
            catch (Exception error)
            {
                // Whatever went wrong (Parallel.ForEach wraps a searcher's failure in an AggregateException), the job must
                // finish: a waiting synchronous request and a polling client would otherwise wait for ever.
                AdminLog.ProvenanceScanFailed(logger, job.Id, error);
                var cause = error is AggregateException { InnerExceptions.Count: > 0 } many ? many.InnerExceptions[0] : error;
                job.Fail(ScanJob.Failed, "The scan failed: " + cause.Message, time.GetUtcNow());
            }
        }
    }

    private void Prune()
    {
        var cutoff = time.GetUtcNow() - Retention;
        foreach (var job in _jobs.Values)
        {
            if (job.IsFinished && job.FinishedAt < cutoff) _jobs.TryRemove(job.Id, out _);
        }

        var finished = _jobs.Values.Where(j => j.IsFinished).OrderByDescending(j => j.FinishedAt).Skip(MaxJobs).ToList();
        foreach (var job in finished) _jobs.TryRemove(job.Id, out _);
    }

    /// <summary>Asks every unfinished job to stop (the host is shutting down).</summary>
    public void Dispose()
    {
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
        _done.TrySetResult();
    }

    internal void Fail(string status, string error, DateTimeOffset at)
    {
        Error = error;
        FinishedAt = at;
        Status = status;
        _done.TrySetResult();
    }

    /// <summary>Completes when the job has finished, whichever way.</summary>
    public Task Finished => _done.Task;

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
