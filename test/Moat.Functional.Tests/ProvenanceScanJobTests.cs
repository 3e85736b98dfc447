using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moat.Admin.Provenance;
using Moat.Provenance;

namespace Moat.Functional.Tests;

/// <summary>
/// A background scan always finishes: a failing index makes the job "failed", never a job that runs for ever; and jobs
/// outlive the process (finished results are read back, a job the process stopped in the middle comes back failed).
/// </summary>
public sealed class ProvenanceScanJobTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "moat-scan-jobs-" + Guid.NewGuid().ToString("N"));

    private IOptions<ProvenanceOptions> Settings => Options.Create(new ProvenanceOptions { Directory = _directory });

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private static PassageSpool Spool(int count)
    {
        var spool = new PassageSpool(ProvenanceScanService.SpoolDirectory);
        // Distinct in normal form (which masks digits), so every passage is searched.
        for (var i = 0; i < count; i++) spool.Add($"passage {Letters(i)} about something");
        spool.Complete();
        return spool;
    }

    private static string Letters(int i)
    {
        var letters = new System.Text.StringBuilder();
        do
        {
            letters.Append((char)('a' + i % 26));
            i /= 26;
        }
        while (i > 0);
        return letters.ToString();
    }

    [Fact]
    public async Task FinishedJob_IsReadBackAfterARestart()
    {
        ScanJob job;
        using (var first = new ProvenanceScanService(new BrokenIndex(TimeSpan.Zero), Settings, TimeProvider.System, NullLogger<ProvenanceScanService>.Instance))
        {
            job = first.Start(Spool(20), "leak of march", "analyst");
            await job.Finished.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(job.Status == ScanJob.Completed, $"{job.Status}: {job.Error}");
        }

        using var second = new ProvenanceScanService(new BrokenIndex(TimeSpan.Zero), Settings, TimeProvider.System, NullLogger<ProvenanceScanService>.Instance);
        var restored = second.Get(job.Id) ?? throw new InvalidOperationException("the finished job was not read back");
        Assert.Equal(ScanJob.Completed, restored.Status);
        Assert.Equal("leak of march", restored.Name);
        Assert.Equal("analyst", restored.CreatedBy);
        Assert.Equal(job.FinishedAt, restored.FinishedAt);
        Assert.NotNull(restored.Result);
        Assert.Equal(job.Result!.Passages, restored.Result.Passages);
        Assert.Equal(job.Result.Verdict, restored.Result.Verdict);
        Assert.Equal(job.Result.Method, restored.Result.Method);
        Assert.True(restored.Finished.IsCompleted);
        Assert.Single(second.List());
    }

    [Fact]
    public async Task JobRunningWhenTheServerStops_ComesBackFailedAndSaysWhy()
    {
        string id;
        using (var first = new ProvenanceScanService(new BrokenIndex(TimeSpan.FromMilliseconds(20)), Settings, TimeProvider.System, NullLogger<ProvenanceScanService>.Instance))
        {
            var job = first.Start(Spool(5_000), null, "analyst");
            id = job.Id;
            for (var i = 0; i < 500 && job.Status == ScanJob.Queued; i++) await Task.Delay(10);
            Assert.Equal(ScanJob.Running, job.Status); // 5,000 searches of 20 ms: still running when the server stops
            first.Dispose();
            await job.Finished.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(ScanJob.Failed, job.Status);
        }

        using var second = new ProvenanceScanService(new BrokenIndex(), Settings, TimeProvider.System, NullLogger<ProvenanceScanService>.Instance);
        var restored = second.Get(id) ?? throw new InvalidOperationException("the interrupted job vanished");
        Assert.Equal(ScanJob.Failed, restored.Status);
        Assert.Equal(ProvenanceScanService.InterruptedError, restored.Error);
    }

    [Fact]
    public void JobStoredAsRunningByACrashedProcess_ComesBackFailed_UnreadableFilesAreSkipped()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "scans"));
        File.WriteAllText(Path.Combine(_directory, "scans", "scan_0123456789abcdef0123.json"),
            """{"id":"scan_0123456789abcdef0123","createdBy":"analyst","createdAt":"2026-12-07T09:00:00+00:00","total":1000,"status":"running","startedAt":"2026-12-07T09:00:01+00:00","scanned":400}""");
        File.WriteAllText(Path.Combine(_directory, "scans", "scan_ffff.json"), "{ not json");

        using var service = new ProvenanceScanService(new BrokenIndex(), Settings, TimeProvider.System, NullLogger<ProvenanceScanService>.Instance);
        var job = Assert.Single(service.List());
        Assert.Equal(ScanJob.Failed, job.Status);
        Assert.Equal(ProvenanceScanService.InterruptedError, job.Error);
        Assert.Equal(400, job.Scanned);
        Assert.NotNull(job.FinishedAt);
    }

    [Fact]
    public async Task IndexThatThrows_JobFailsWithTheCause()
    {
        using var service = new ProvenanceScanService(new BrokenIndex(), Settings, TimeProvider.System, NullLogger<ProvenanceScanService>.Instance);
        var job = service.Start(Spool(50), "broken", "tester");
        await job.Finished.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ScanJob.Failed, job.Status);
        Assert.Contains("segment file is unreadable", job.Error);
        Assert.Null(job.Result);
        Assert.NotNull(job.FinishedAt);
    }

    [Fact]
    public async Task CancelledJob_IsCancelled()
    {
        using var service = new ProvenanceScanService(new BrokenIndex(TimeSpan.FromMilliseconds(20)), Settings, TimeProvider.System, NullLogger<ProvenanceScanService>.Instance);
        var job = service.Start(Spool(5_000), null, "tester");
        Assert.True(service.Cancel(job.Id));
        await job.Finished.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ScanJob.Cancelled, job.Status);
        Assert.False(service.Cancel(job.Id));
    }

    /// <summary>Throws on every search (or, with a delay, searches slowly and finds nothing).</summary>
    private sealed class BrokenIndex(TimeSpan? delay = null) : IProvenanceIndex
    {
        public long Count => 0;

        public void Add(ServedText served) => throw new NotSupportedException();

        public void Flush()
        {
        }

        public ProvenanceResult Search(string text, int limit = 10) => throw new NotSupportedException();

        public IReadOnlyList<ProvenanceMatch> Rank(string text, int limit, double minScore)
        {
            if (delay is { } wait)
            {
                Thread.Sleep(wait);
                return [];
            }

            throw new IOException("segment file is unreadable");
        }

        public void Dispose()
        {
        }
    }
}
