namespace Moat.FakeUpstream.Runtime;

/// <summary>Request counters served by <c>GET /_fake/stats</c>; lock-free because every request touches them.</summary>
internal sealed class FakeUpstreamStats
{
    private long _requests;
    private long _chat;
    private long _completions;
    private long _embeddings;
    private long _failures;
    private long _drops;

    public long Requests => Interlocked.Read(ref _requests);

    public long Chat => Interlocked.Read(ref _chat);

    public long Completions => Interlocked.Read(ref _completions);

    public long Embeddings => Interlocked.Read(ref _embeddings);

    /// <summary>Injected error statuses (by header or by <see cref="FakeUpstreamOptions.FailureRate"/>).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Connections aborted on purpose, before or during the response.</summary>
    public long Drops => Interlocked.Read(ref _drops);

    /// <summary>Counts a model request and returns its position in the failure-injection sequence.</summary>
    public long CountRequest() => Interlocked.Increment(ref _requests);

    public void CountChat() => Interlocked.Increment(ref _chat);

    public void CountCompletion() => Interlocked.Increment(ref _completions);

    public void CountEmbedding() => Interlocked.Increment(ref _embeddings);

    public void CountFailure() => Interlocked.Increment(ref _failures);

    public void CountDrop() => Interlocked.Increment(ref _drops);

    /// <summary>Zeroes the counters and restarts the failure sequence, so a test can replay it.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _chat, 0);
        Interlocked.Exchange(ref _completions, 0);
        Interlocked.Exchange(ref _embeddings, 0);
        Interlocked.Exchange(ref _failures, 0);
        Interlocked.Exchange(ref _drops, 0);
    }
}
