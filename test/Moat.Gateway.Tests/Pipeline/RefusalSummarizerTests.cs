using Microsoft.Extensions.Time.Testing;
using Moat.Core.Ledger;
using Moat.Gateway.Pipeline.Settle;

namespace Moat.Gateway.Tests.Pipeline;

/// <summary>Refusal loops: one row in full per kind and minute, the rest summed into one summary row.</summary>
public sealed class RefusalSummarizerTests
{
    private readonly FakeTimeProvider _clock = Stage.Clock();
    private readonly RecordingLedger _ledger = new();
    private readonly RefusalSummarizer _summarizer;
    private int _next;

    public RefusalSummarizerTests() => _summarizer = new RefusalSummarizer(_ledger, _clock);

    private static long MinuteOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / 60;

    private UsageRecord Refusal(double secondsAfterNoon = 0, string keyId = "key_a", int status = 429, string? code = "rate_limit_exceeded") => new()
    {
        RequestId = "req_" + Interlocked.Increment(ref _next),
        OrgId = "org_a",
        KeyId = keyId,
        Endpoint = "/v1/chat/completions",
        Status = status,
        ErrorCode = code,
        LatencyMs = 1.5,
        Timestamp = Stage.Noon.AddSeconds(secondsAfterNoon),
    };

    private async Task RecordAsync(params UsageRecord[] records)
    {
        foreach (var record in records)
        {
            await _summarizer.RecordAsync(record);
        }
    }

    [Fact]
    public async Task RecordAsync_FirstRefusalOfTheMinute_WrittenInFull()
    {
        var first = Refusal();

        await RecordAsync(first);

        Assert.Same(first, Assert.Single(_ledger.Records));
    }

    [Fact]
    public async Task RecordAsync_RestOfTheMinute_CountedNotWritten()
    {
        await RecordAsync(Refusal(0), Refusal(10), Refusal(30), Refusal(59));

        Assert.Equal("req_1", Assert.Single(_ledger.Records).RequestId);
    }

    [Fact]
    public async Task RecordAsync_NextMinute_SummaryThenTheNewRefusalInFull()
    {
        var last = Refusal(45);
        await RecordAsync(Refusal(0), Refusal(15), Refusal(30), last);
        var nextMinute = Refusal(61);

        await RecordAsync(nextMinute);

        Assert.Equal(3, _ledger.Records.Count);
        var summary = _ledger.Records[1];
        Assert.Equal(3, summary.Attempts);
        Assert.Equal(last.RequestId + "_x3", summary.RequestId);
        Assert.Equal((last.KeyId, last.Status, last.ErrorCode, last.Timestamp), (summary.KeyId, summary.Status, summary.ErrorCode, summary.Timestamp));
        Assert.Equal(0, summary.LatencyMs);
        Assert.Same(nextMinute, _ledger.Records[2]);
        Assert.Equal(1, _ledger.Records[2].Attempts);
    }

    [Fact]
    public async Task FlushAsync_AfterTheMinute_WritesTheSummaryOnce()
    {
        await RecordAsync(Refusal(0), Refusal(1), Refusal(2));

        await _summarizer.FlushAsync(MinuteOf(Stage.Noon) + 1);
        await _summarizer.FlushAsync(MinuteOf(Stage.Noon) + 2);

        Assert.Equal([1, 2], _ledger.Records.Select(r => r.Attempts));
    }

    [Fact]
    public async Task FlushAsync_MinuteStillRunning_WritesNothing()
    {
        await RecordAsync(Refusal(0), Refusal(1));

        await _summarizer.FlushAsync(MinuteOf(Stage.Noon));

        Assert.Single(_ledger.Records);
    }

    [Fact]
    public async Task FlushAsync_OnlyOneRefusal_NoSummaryRow()
    {
        await RecordAsync(Refusal(0));

        await _summarizer.FlushAsync(MinuteOf(Stage.Noon) + 1);

        Assert.Single(_ledger.Records);
    }

    [Fact]
    public async Task StopAsync_PendingSummary_Written()
    {
        await RecordAsync(Refusal(0), Refusal(1), Refusal(2), Refusal(3));

        await _summarizer.StopAsync(CancellationToken.None);

        Assert.Equal([1, 3], _ledger.Records.Select(r => r.Attempts));
    }

    [Fact]
    public async Task ExecuteAsync_ClockPassesTheMinute_BackgroundFlushWritesTheSummary()
    {
        await _summarizer.StartAsync(CancellationToken.None);
        await RecordAsync(Refusal(0), Refusal(1), Refusal(2));
        await _ledger.WaitForWriteAsync(); // the row in full

        // ExecuteAsync starts its timer on a background thread: step the clock until a tick has flushed.
        var flushed = false;
        for (var step = 0; step < 100 && !flushed; step++)
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            flushed = await _ledger.TryWaitForWriteAsync(TimeSpan.FromMilliseconds(100));
        }

        Assert.True(flushed, "the background flush never wrote the summary");
        Assert.Equal([1, 2], _ledger.Records.Select(r => r.Attempts));
        Assert.True(_clock.GetUtcNow() >= Stage.Noon.AddMinutes(1)); // not before the minute was over
        await _summarizer.StopAsync(CancellationToken.None);
        Assert.Equal(2, _ledger.Records.Count); // nothing left to write on shutdown
    }

    [Fact]
    public async Task RecordAsync_ConcurrentRefusalLoop_EveryAttemptAccountedFor()
    {
        const int attempts = 2000;

        await Task.WhenAll(Enumerable.Range(0, attempts).Select(i => Task.Run(() => _summarizer.RecordAsync(Refusal(i % 60)).AsTask())));
        await _summarizer.FlushAsync(long.MaxValue);

        Assert.Equal(2, _ledger.Records.Count);
        Assert.Equal(attempts, _ledger.Records.Sum(r => r.Attempts));
    }

    [Fact]
    public async Task RecordAsync_DistinctKeysStatusesAndCodes_EachWrittenInFull()
    {
        var kinds = new[]
        {
            Refusal(keyId: "key_a"),
            Refusal(keyId: "key_b"),
            Refusal(status: 403, code: "account_suspended"),
            Refusal(status: 429, code: "insufficient_quota"),
            Refusal(status: 400, code: null),
        };

        await RecordAsync(kinds);
        await RecordAsync(Refusal(keyId: "key_b", secondsAfterNoon: 5), Refusal(status: 400, code: null, secondsAfterNoon: 5));
        await _summarizer.FlushAsync(long.MaxValue);

        Assert.Equal(kinds.Select(k => k.RequestId), _ledger.Records.Take(5).Select(r => r.RequestId));
        var summaries = _ledger.Records.Skip(5).ToArray();
        Assert.Equal(2, summaries.Length);
        Assert.Contains(summaries, s => s.KeyId == "key_b" && s.Status == 429 && s.Attempts == 1);
        Assert.Contains(summaries, s => s.KeyId == "key_a" && s.Status == 400 && s.ErrorCode is null && s.Attempts == 1);
    }
}
