using System.Diagnostics.Metrics;
using System.Threading.Channels;

namespace Moat.Core.Sinks;

/// <summary>
/// A bounded queue that takes work off the request path and a batch consumer loop that drains it, with one stated
/// full-queue policy, metrics (depth, dropped, processed, failed, waits on the "Moat.Sinks" meter, tagged with the
/// sink's name), a drain on shutdown and <see cref="WhenIdleAsync"/> to wait until everything written so far is done.
/// </summary>
/// <remarks>
/// Every accepted item settles exactly once: processed, failed (its batch handler threw), evicted (DropOldest) or
/// abandoned (the loop was cancelled before reaching it). A write is counted before it enters the queue (and withdrawn
/// if it does not), so the consumer can never have handled an item the counters have not seen; see <see cref="WhenIdleAsync"/>.
/// </remarks>
public sealed class BoundedSink<T> : IAsyncDisposable
{
    /// <summary>The meter every sink reports on.</summary>
    public const string MeterName = "Moat.Sinks";

    private readonly Channel<T> _channel;
    private readonly SinkBatchHandler<T> _handler;
    private readonly Action<Exception, IReadOnlyList<T>>? _onFailed;
    private readonly TimeProvider _time;
    private readonly KeyValuePair<string, object?> _tag;
    private readonly Counter<long>? _droppedCounter;
    private readonly Counter<long>? _processedCounter;
    private readonly Counter<long>? _failedCounter;
    private readonly Counter<long>? _waitsCounter;
    private long _accepted;
    private long _withdrawn;
    private long _rejected;
    private long _evicted;
    private long _processed;
    private long _failed;
    private long _abandoned;
    private int _waiters;
    private int _stopped;
    private Task? _run;
    private TaskCompletionSource? _progress;
    private TaskCompletionSource _hurry = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BoundedSink(
        BoundedSinkOptions options,
        SinkBatchHandler<T> handler,
        IMeterFactory? meters = null,
        TimeProvider? time = null,
        Action<Exception, IReadOnlyList<T>>? onFailed = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1);
        Options = options;
        _handler = handler;
        _onFailed = onFailed;
        _time = time ?? TimeProvider.System;
        var channelOptions = new BoundedChannelOptions(options.Capacity)
        {
            // DropNewest is decided here (a failed TryWrite), not by the channel, so a refused item is never counted as accepted.
            FullMode = options.FullMode == SinkFullMode.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        };
        _channel = options.FullMode == SinkFullMode.DropOldest
            ? Channel.CreateBounded<T>(channelOptions, _ => Evicted())
            : Channel.CreateBounded<T>(channelOptions);

        _tag = new KeyValuePair<string, object?>("moat.sink", options.Name);
        if (meters is not null)
        {
            // One meter per sink (distinguished by its tag), so each sink's depth gauge has its own callback.
            var meter = meters.Create(new MeterOptions(MeterName) { Tags = [_tag] });
            _droppedCounter = meter.CreateCounter<long>("moat.sink.dropped", "{item}", "Items dropped because the queue was full (DropNewest/DropOldest).");
            _processedCounter = meter.CreateCounter<long>("moat.sink.processed", "{item}", "Items the consumer handled.");
            _failedCounter = meter.CreateCounter<long>("moat.sink.failed", "{item}", "Items in batches whose handler failed.");
            _waitsCounter = meter.CreateCounter<long>("moat.sink.waits", "{write}", "Writes that waited because the queue was full (Wait).");
            meter.CreateObservableGauge("moat.sink.depth", () => new Measurement<int>(Depth, _tag), "{item}", "Items queued and not yet handed to the consumer.");
        }
    }

    public BoundedSinkOptions Options { get; }

    /// <summary>Items queued and not yet handed to the consumer.</summary>
    public int Depth => _channel.Reader.Count;

    /// <summary>Items accepted into the queue.</summary>
    public long Accepted => Interlocked.Read(ref _accepted) - Interlocked.Read(ref _withdrawn);

    /// <summary>Items lost to the full-queue policy: refused (DropNewest) or evicted (DropOldest).</summary>
    public long Dropped => Interlocked.Read(ref _rejected) + Interlocked.Read(ref _evicted);

    /// <summary>Items the consumer handled successfully.</summary>
    public long Processed => Interlocked.Read(ref _processed);

    /// <summary>Items whose batch handler threw.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Items left unhandled because the loop was cancelled before draining.</summary>
    public long Abandoned => Interlocked.Read(ref _abandoned);

    private long Handled => Interlocked.Read(ref _processed) + Interlocked.Read(ref _failed);

    private long Settled =>
        Handled + Interlocked.Read(ref _evicted) + Interlocked.Read(ref _abandoned) + Interlocked.Read(ref _withdrawn);

    /// <summary>
    /// Queues an item without ever waiting. False when it was not queued: the queue is full under
    /// <see cref="SinkFullMode.DropNewest"/> (counted as dropped) or <see cref="SinkFullMode.Wait"/>, or the sink is closed.
    /// </summary>
    public bool TryWrite(T item)
    {
        Interlocked.Increment(ref _accepted);
        if (_channel.Writer.TryWrite(item))
        {
            return true;
        }
        Withdraw();
        if (Options.FullMode == SinkFullMode.DropNewest && Volatile.Read(ref _stopped) == 0)
        {
            Interlocked.Increment(ref _rejected);
            _droppedCounter?.Add(1, _tag);
        }
        return false;
    }

    /// <summary>Queues an item, waiting for room when the queue is full (the policy of <see cref="SinkFullMode.Wait"/>).</summary>
    /// <exception cref="InvalidOperationException">The sink is closed.</exception>
    public ValueTask WriteAsync(T item, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _accepted);
        if (_channel.Writer.TryWrite(item))
        {
            return ValueTask.CompletedTask;
        }
        return WaitAndWriteAsync(item, cancellationToken);
    }

    private async ValueTask WaitAndWriteAsync(T item, CancellationToken cancellationToken)
    {
        _waitsCounter?.Add(1, _tag);
        try
        {
            await _channel.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException exception)
        {
            Withdraw();
            throw new InvalidOperationException($"The {Options.Name} sink is closed and accepts no more items.", exception);
        }
        catch (OperationCanceledException)
        {
            Withdraw();
            throw;
        }
    }

    /// <summary>
    /// Completes once every item accepted before the call has settled (processed, failed, dropped or abandoned), or
    /// the consumer loop has ended. Cuts a waiting batch window short.
    /// </summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        // Two ways to be sure every item written before the call is settled (each exact, together always live):
        // (a) the consumer has handled as many items as were counted and not withdrawn at the call. The consumer handles
        //     items in queue order, and everything in front of a completed write was counted before it, so it cannot
        //     reach that number while skipping one; it progresses under steady load.
        // (b) at some moment everything counted so far has settled (read settled, then counted); covers a quiet sink,
        //     evictions and writes that were in flight at the call and then withdrawn.
        var withdrawn = Interlocked.Read(ref _withdrawn);
        var target = Interlocked.Read(ref _accepted) - withdrawn;
        Interlocked.Increment(ref _waiters);
        try
        {
            Volatile.Read(ref _hurry).TrySetResult();
            while (true)
            {
                // Take the signal before reading the counters: progress in between completes it.
                var progress = Volatile.Read(ref _progress);
                if (progress is null)
                {
                    var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    progress = Interlocked.CompareExchange(ref _progress, fresh, null) ?? fresh;
                }
                if (Handled >= target || Volatile.Read(ref _stopped) != 0)
                {
                    return;
                }
                var settled = Settled;
                if (settled >= Interlocked.Read(ref _accepted))
                {
                    return;
                }
                await progress.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiters);
        }
    }

    /// <summary>
    /// The consumer loop: hands batches to the handler until the sink is completed and empty (a drain), or
    /// <paramref name="abandon"/> fires (what is left is counted as abandoned). Run it once.
    /// </summary>
    public Task RunAsync(CancellationToken abandon)
    {
        var run = RunLoopAsync(abandon);
        if (Interlocked.CompareExchange(ref _run, run, null) is not null)
        {
            throw new InvalidOperationException($"The {Options.Name} sink's consumer is already running.");
        }
        return run;
    }

    /// <summary>Accepts no more items; the loop ends once it has handled what is queued.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Completes the sink and waits for the loop to drain it (or for <paramref name="cancellationToken"/>).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        Complete();
        if (Volatile.Read(ref _run) is { } run)
        {
            await run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Drains: completes the sink and waits for the loop to handle what is queued.</summary>
    public async ValueTask DisposeAsync() => await DrainAsync().ConfigureAwait(false);

    private async Task RunLoopAsync(CancellationToken abandon)
    {
        await Task.Yield();
        var reader = _channel.Reader;
        var batch = new List<T>(Math.Min(Options.MaxBatchSize, 1024));
        Task<bool>? pendingWait = null;
        try
        {
            while (true)
            {
                pendingWait ??= reader.WaitToReadAsync(CancellationToken.None).AsTask();
                if (!await pendingWait.WaitAsync(abandon).ConfigureAwait(false))
                {
                    break;
                }
                pendingWait = null;
                var completed = false;
                var started = _time.GetTimestamp();
                while (true)
                {
                    while (batch.Count < Options.MaxBatchSize && reader.TryRead(out var item))
                    {
                        batch.Add(item);
                    }
                    if (batch.Count >= Options.MaxBatchSize || Options.BatchWindow <= TimeSpan.Zero)
                    {
                        break;
                    }
                    var remaining = Options.BatchWindow - _time.GetElapsedTime(started);
                    var hurry = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    Interlocked.Exchange(ref _hurry, hurry);
                    if (remaining <= TimeSpan.Zero || Volatile.Read(ref _waiters) > 0)
                    {
                        break;
                    }
                    pendingWait ??= reader.WaitToReadAsync(CancellationToken.None).AsTask();
                    using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(abandon);
                    var delay = Task.Delay(remaining, _time, delayCancellation.Token);
                    var first = await Task.WhenAny(pendingWait, delay, hurry.Task).ConfigureAwait(false);
                    await delayCancellation.CancelAsync().ConfigureAwait(false);
                    abandon.ThrowIfCancellationRequested();
                    if (first != pendingWait)
                    {
                        break;
                    }
                    var more = await pendingWait.ConfigureAwait(false);
                    pendingWait = null;
                    if (!more)
                    {
                        completed = true;
                        break;
                    }
                }

                await HandleAsync(batch, abandon).ConfigureAwait(false);
                batch.Clear();
                if (completed)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            var left = batch.Count;
            while (reader.TryRead(out _))
            {
                left++;
            }
            Interlocked.Add(ref _abandoned, left);
        }
        finally
        {
            Volatile.Write(ref _stopped, 1);
            Signal();
        }
    }

    private async Task HandleAsync(List<T> batch, CancellationToken abandon)
    {
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            await _handler(batch, abandon).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !abandon.IsCancellationRequested)
        {
            Interlocked.Add(ref _failed, batch.Count);
            _failedCounter?.Add(batch.Count, _tag);
            _onFailed?.Invoke(exception, batch);
            Signal();
            return;
        }
        Interlocked.Add(ref _processed, batch.Count);
        _processedCounter?.Add(batch.Count, _tag);
        Signal();
    }

    private void Withdraw()
    {
        Interlocked.Increment(ref _withdrawn);
        Signal();
    }

    private void Evicted()
    {
        Interlocked.Increment(ref _evicted);
        _droppedCounter?.Add(1, _tag);
        Signal();
    }

    private void Signal() => Interlocked.Exchange(ref _progress, null)?.TrySetResult();
}
