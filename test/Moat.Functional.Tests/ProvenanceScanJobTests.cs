using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moat.Admin.Provenance;
using Moat.Provenance;

namespace Moat.Functional.Tests;

/// <summary>A background scan always finishes: a failing index makes the job "failed", never a job that runs for ever.</summary>
public sealed class ProvenanceScanJobTests
{
    [Fact]
    public async Task IndexThatThrows_JobFailsWithTheCause()
    {
        using var service = new ProvenanceScanService(new BrokenIndex(), Options.Create(new ProvenanceOptions()), TimeProvider.System, NullLogger<ProvenanceScanService>.Instance);
        var spool = new PassageSpool(ProvenanceScanService.SpoolDirectory);
        for (var i = 0; i < 50; i++) spool.Add($"passage number {i} about something");
        spool.Complete();

        var job = service.Start(spool, "broken", "tester");
        await job.Finished.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ScanJob.Failed, job.Status);
        Assert.Contains("segment file is unreadable", job.Error);
        Assert.Null(job.Result);
        Assert.NotNull(job.FinishedAt);
    }

    [Fact]
    public async Task CancelledJob_IsCancelled()
    {
        using var service = new ProvenanceScanService(new BrokenIndex(TimeSpan.FromMilliseconds(20)), Options.Create(new ProvenanceOptions()), TimeProvider.System, NullLogger<ProvenanceScanService>.Instance);
        var spool = new PassageSpool(ProvenanceScanService.SpoolDirectory);
        for (var i = 0; i < 5_000; i++) spool.Add($"passage number {i}");
        spool.Complete();

        var job = service.Start(spool, null, "tester");
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
