using System.Buffers;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Core.Ledger;
using Moat.Storage.Tests.Infrastructure;

namespace Moat.Storage.Tests;

/// <summary>The write-ahead file on its own: framing, torn tails, group commit, checkpoints.</summary>
public sealed class LedgerWriteAheadLogTests : IDisposable
{
    private const long LargeSegments = 16L * 1024 * 1024;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "moat-wal-tests", Guid.NewGuid().ToString("N"));
    private readonly UsageRecordBuilder _records = new("org_a", "key_a", new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was written.
        }
    }

    [Fact]
    public void WriteFrame_EveryField_ReadsBackEqual()
    {
        var record = _records.Build("req_1") with
        {
            Stream = true,
            LatencyMs = 3.25,
            UsageSource = UsageSources.Reservation,
            Attempts = 7,
            Model = null,
            UserAgent = "ünïcödé agent",
        };
        var buffer = new ArrayBufferWriter<byte>();

        UsageRecordCodec.WriteFrame(buffer, record);
        var size = UsageRecordCodec.TryReadFrame(buffer.WrittenSpan, out var read);

        Assert.Equal(buffer.WrittenCount, size);
        Assert.Equal(record, read);
    }

    [Fact]
    public async Task Open_FinalFrameTorn_TruncatesItAndKeepsEarlierRecords()
    {
        using (var log = Open())
        {
            for (var i = 0; i < 3; i++)
            {
                await log.AppendAsync(_records.Build($"req_{i}"));
            }
        }
        var segment = SingleSegment();
        var intact = new FileInfo(segment).Length;
        var frame = new ArrayBufferWriter<byte>();
        UsageRecordCodec.WriteFrame(frame, _records.Build("req_torn"));
        await AppendBytesAsync(segment, frame.WrittenSpan[..(frame.WrittenCount / 2)].ToArray());

        using (var reopened = Open())
        {
            Assert.Equal(["req_0", "req_1", "req_2"], reopened.Unapplied.Select(u => u.Record.RequestId));
            Assert.Equal(frame.WrittenCount / 2, reopened.TruncatedBytes);
            Assert.Equal(intact, new FileInfo(segment).Length);
            await reopened.AppendAsync(_records.Build("req_3"));
        }

        using var third = Open();
        Assert.Equal(["req_0", "req_1", "req_2", "req_3"], third.Unapplied.Select(u => u.Record.RequestId));
    }

    [Fact]
    public async Task Open_FinalFrameFailsCrc_TruncatesIt()
    {
        using (var log = Open())
        {
            await log.AppendAsync(_records.Build("req_0"));
            await log.AppendAsync(_records.Build("req_1"));
        }
        var segment = SingleSegment();
        var bytes = await File.ReadAllBytesAsync(segment);
        bytes[^3] ^= 0xFF;
        await File.WriteAllBytesAsync(segment, bytes);

        using var reopened = Open();

        Assert.Equal(["req_0"], reopened.Unapplied.Select(u => u.Record.RequestId));
        Assert.True(reopened.TruncatedBytes > 0);
    }

    [Fact]
    public async Task AppendAsync_WritersArriveDuringACommit_AllReleasedTogetherByTheNextOne()
    {
        using var firstCommitHeld = new ManualResetEventSlim(false);
        var batches = new List<int>();
        var observed = new List<int>();
        using var log = LedgerWriteAheadLog.Open(_directory, LargeSegments, NullLogger.Instance, entries =>
        {
            lock (batches)
            {
                batches.Add(entries.Count);
            }
            // Holding the committer after its first batch makes the next 100 writers queue behind it.
            firstCommitHeld.Wait(TimeSpan.FromSeconds(10));
        }, (records, _) => observed.Add(records));
        await log.AppendAsync(_records.Build("req_first"));

        var writers = Enumerable.Range(0, 100).Select(i => log.AppendAsync(_records.Build($"req_{i}"))).ToArray();
        await Task.Delay(50);
        Assert.DoesNotContain(writers, w => w.IsCompleted);

        firstCommitHeld.Set();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(10));

        lock (batches)
        {
            Assert.Equal([1, 100], batches);
        }
        // One fsync per batch: the commit metric saw two commits, not 101.
        Assert.Equal([1, 100], observed);
    }

    [Fact]
    public async Task Checkpoint_InALaterSegment_DeletesOlderSegmentsAndReopenReturnsOnlyLaterRecords()
    {
        var ends = new List<WalPosition>();
        // Segments of the minimum size rotate after every commit, so each record gets its own segment.
        using (var log = LedgerWriteAheadLog.Open(_directory, 1, NullLogger.Instance, entries =>
        {
            lock (ends)
            {
                ends.AddRange(entries.Select(e => e.End));
            }
        }))
        {
            for (var i = 0; i < 4; i++)
            {
                await log.AppendAsync(_records.Build($"req_{i}"));
            }
            // Writers are released just before their batch is handed on.
            Assert.True(SpinWait.SpinUntil(() => { lock (ends) { return ends.Count == 4; } }, TimeSpan.FromSeconds(10)));
            Assert.Equal(4, ends.Select(e => e.Segment).Distinct().Count());

            log.Checkpoint(ends[2]);

            Assert.DoesNotContain(Segments(), s => string.CompareOrdinal(Path.GetFileName(s), Path.GetFileName(SegmentNamed(ends[2].Segment))) < 0);
        }

        using var reopened = Open();
        Assert.Equal(["req_3"], reopened.Unapplied.Select(u => u.Record.RequestId));
    }

    [Fact]
    public async Task Open_CheckpointedSegmentDeleted_NewRecordsAreNotHiddenBehindTheCheckpoint()
    {
        var ends = new List<WalPosition>();
        using (var log = LedgerWriteAheadLog.Open(_directory, LargeSegments, NullLogger.Instance, entries =>
        {
            lock (ends)
            {
                ends.AddRange(entries.Select(e => e.End));
            }
        }))
        {
            await log.AppendAsync(_records.Build("req_0"));
            await log.AppendAsync(_records.Build("req_1"));
            Assert.True(SpinWait.SpinUntil(() => { lock (ends) { return ends.Count == 2; } }, TimeSpan.FromSeconds(10)));
            log.Checkpoint(ends[1]);
        }
        File.Delete(SingleSegment());

        using (var reopened = Open())
        {
            Assert.Empty(reopened.Unapplied);
            await reopened.AppendAsync(_records.Build("req_new"));
        }

        using var third = Open();
        Assert.Equal(["req_new"], third.Unapplied.Select(u => u.Record.RequestId));
    }

    [Fact]
    public void Open_DirectoryAlreadyOpen_ThrowsNamingTheDirectory()
    {
        using var first = Open();

        var error = Assert.Throws<InvalidOperationException>(() => Open());

        Assert.Contains(_directory, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abandon_PendingAppendsNotCommitted_WritersSeeAnError()
    {
        using var committerHeld = new ManualResetEventSlim(false);
        var log = LedgerWriteAheadLog.Open(_directory, LargeSegments, NullLogger.Instance, _ => committerHeld.Wait(TimeSpan.FromSeconds(10)));
        await log.AppendAsync(_records.Build("req_durable"));
        var pending = log.AppendAsync(_records.Build("req_pending"));

        var abandoning = Task.Run(log.Abandon);
        // Let the committer go only once the crash is marked; otherwise it may commit the pending batch first.
        for (var waited = 0; !log.IsAbandoned && waited < 10_000; waited += 5)
        {
            await Task.Delay(5);
        }
        committerHeld.Set();
        await abandoning.WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<IOException>(() => pending);
        using var reopened = Open();
        Assert.Equal(["req_durable"], reopened.Unapplied.Select(u => u.Record.RequestId));
    }

    [Fact]
    public async Task AppendAsync_BufferedMode_AcknowledgedRecordSurvivesAProcessCrash()
    {
        // An hour between fsyncs: the acknowledgement can only come from the write to the operating system.
        var log = LedgerWriteAheadLog.Open(_directory, LargeSegments, NullLogger.Instance, _ => { }, syncInterval: TimeSpan.FromHours(1));
        await log.AppendAsync(_records.Build("req_buffered_1")).WaitAsync(TimeSpan.FromSeconds(10));
        await log.AppendAsync(_records.Build("req_buffered_2")).WaitAsync(TimeSpan.FromSeconds(10));

        log.Abandon(); // the process dies; the OS still holds what was written

        using var reopened = Open();
        Assert.Equal(["req_buffered_1", "req_buffered_2"], reopened.Unapplied.Select(u => u.Record.RequestId));
    }

    [Fact]
    public void Open_DirectoryHeldByAnotherOpener_RefusesOnceTheWaitRunsOut()
    {
        using var holder = Open();

        var refused = Assert.Throws<InvalidOperationException>(() =>
            LedgerWriteAheadLog.Open(_directory, LargeSegments, NullLogger.Instance, _ => { }, lockWait: TimeSpan.FromMilliseconds(300)));

        Assert.Contains("in use by another process", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_HolderExitsWhileWaiting_OpensAndSeesWhatTheHolderWrote()
    {
        var holder = Open();
        await holder.AppendAsync(_records.Build("req_from_the_old_process"));

        // A restart: the new process starts while the old one is still on its way out.
        var opening = Task.Run(() => LedgerWriteAheadLog.Open(_directory, LargeSegments, NullLogger.Instance, _ => { }, lockWait: TimeSpan.FromSeconds(20)));
        await Task.Delay(400);
        Assert.False(opening.IsCompleted, "the second opener must wait while the directory is held");
        holder.Dispose();

        using var reopened = await opening.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["req_from_the_old_process"], reopened.Unapplied.Select(u => u.Record.RequestId));
    }

    private LedgerWriteAheadLog Open() => LedgerWriteAheadLog.Open(_directory, LargeSegments, NullLogger.Instance, _ => { });

    private string[] Segments() => Directory.GetFiles(_directory, "*.wal");

    private string SingleSegment() => Assert.Single(Segments());

    private string SegmentNamed(long segment) => Path.Combine(_directory, segment.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + ".wal");

    private static async Task AppendBytesAsync(string path, byte[] bytes)
    {
        await using var file = new FileStream(path, FileMode.Append, FileAccess.Write);
        await file.WriteAsync(bytes);
    }
}
