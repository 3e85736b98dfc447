using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CsCheck;
using Moat.Core.Sinks;

namespace Moat.Core.Tests.Sinks;

public sealed class BoundedSinkTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>A consumer that records what it handled and can be held closed to fill the queue.</summary>
    private sealed class RecordingConsumer
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public RecordingConsumer(bool open = true)
        {
            if (open)
            {
                Open();
            }
        }

        public ConcurrentQueue<int> Handled { get; } = new();
        public List<int> BatchSizes { get; } = [];
        public Func<IReadOnlyList<int>, bool>? FailWhen { get; init; }

        public void Open() => _open.TrySetResult();

        public async ValueTask HandleAsync(IReadOnlyList<int> batch, CancellationToken cancellationToken)
        {
            await _open.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (BatchSizes)
            {
                BatchSizes.Add(batch.Count);
            }
            if (FailWhen?.Invoke(batch) == true)
            {
                throw new InvalidOperationException("handler failed");
            }
            foreach (var item in batch)
            {
                Handled.Enqueue(item);
            }
        }
    }

    private static BoundedSink<int> Sink(RecordingConsumer consumer, SinkFullMode mode, int capacity = 4, int maxBatch = 256, IMeterFactory? meters = null) =>
        new(new BoundedSinkOptions("test", capacity, mode) { MaxBatchSize = maxBatch }, consumer.HandleAsync, meters);

    [Fact]
    public void TryWrite_DropNewestWhenFull_RefusesAndCountsTheNewest()
    {
        var sink = Sink(new RecordingConsumer(), SinkFullMode.DropNewest, capacity: 3);

        var accepted = Enumerable.Range(1, 5).Select(sink.TryWrite).ToList();

        Assert.Equal([true, true, true, false, false], accepted);
        Assert.Equal(3, sink.Accepted);
        Assert.Equal(2, sink.Dropped);
        Assert.Equal(3, sink.Depth);
    }

    [Fact]
    public async Task RunAsync_DropOldestWhenFull_ProcessesTheNewestAndCountsEvictions()
    {
        var consumer = new RecordingConsumer();
        await using var sink = Sink(consumer, SinkFullMode.DropOldest, capacity: 3);
        for (var i = 1; i <= 10; i++)
        {
            Assert.True(sink.TryWrite(i));
        }

        _ = sink.RunAsync(CancellationToken.None);
        await sink.WhenIdleAsync().WaitAsync(Patience);

        Assert.Equal([8, 9, 10], consumer.Handled);
        Assert.Equal(7, sink.Dropped);
        Assert.Equal(3, sink.Processed);
    }

    [Fact]
    public async Task WriteAsync_WaitWhenFull_WaitsForRoomAndDropsNothing()
    {
        var consumer = new RecordingConsumer(open: false);
        await using var sink = Sink(consumer, SinkFullMode.Wait, capacity: 2, maxBatch: 1);
        _ = sink.RunAsync(CancellationToken.None);

        var writes = Enumerable.Range(1, 6).Select(i => sink.WriteAsync(i).AsTask()).ToList();
        await Task.Delay(50);
        Assert.Contains(writes, w => !w.IsCompleted);
        Assert.False(sink.TryWrite(99));

        consumer.Open();
        await Task.WhenAll(writes).WaitAsync(Patience);
        await sink.WhenIdleAsync().WaitAsync(Patience);

        Assert.Equal([1, 2, 3, 4, 5, 6], consumer.Handled);
        Assert.Equal(0, sink.Dropped);
    }

    [Fact]
    public async Task WhenIdleAsync_ConcurrentWriters_CoversEveryWriteBeforeTheCall()
    {
        var consumer = new RecordingConsumer();
        await using var sink = Sink(consumer, SinkFullMode.Wait, capacity: 64, maxBatch: 7);
        _ = sink.RunAsync(CancellationToken.None);

        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 500; i++)
            {
                var item = w * 1000 + i;
                await sink.WriteAsync(item);
                if (i % 50 == 0)
                {
                    // Everything this writer wrote so far must be handled once idle completes.
                    await sink.WhenIdleAsync().WaitAsync(Patience);
                    Assert.Contains(item, consumer.Handled);
                }
            }
        })).ToList();
        await Task.WhenAll(writers).WaitAsync(Patience);
        await sink.WhenIdleAsync().WaitAsync(Patience);

        Assert.Equal(4000, consumer.Handled.Count);
        Assert.Equal(4000, sink.Processed);
    }

    [Fact]
    public async Task WhenIdleAsync_BatchWindowOpen_CutsTheWindowShort()
    {
        var consumer = new RecordingConsumer();
        var sink = new BoundedSink<int>(
            new BoundedSinkOptions("test", 16, SinkFullMode.Wait) { MaxBatchSize = 100, BatchWindow = TimeSpan.FromHours(1) },
            consumer.HandleAsync);
        _ = sink.RunAsync(CancellationToken.None);

        await sink.WriteAsync(1);
        await sink.WhenIdleAsync().WaitAsync(Patience);

        Assert.Equal([1], consumer.Handled);
        await sink.DisposeAsync().AsTask().WaitAsync(Patience);
    }

    [Fact]
    public async Task WhenIdleAsync_NothingWritten_CompletesAtOnce()
    {
        var sink = Sink(new RecordingConsumer(), SinkFullMode.DropNewest);

        await sink.WhenIdleAsync().WaitAsync(Patience);
    }

    [Fact]
    public async Task DisposeAsync_ItemsQueued_DrainsThemAndRefusesMore()
    {
        var consumer = new RecordingConsumer(open: false);
        var sink = Sink(consumer, SinkFullMode.Wait, capacity: 10, maxBatch: 2);
        for (var i = 1; i <= 5; i++)
        {
            await sink.WriteAsync(i);
        }
        _ = sink.RunAsync(CancellationToken.None);

        var disposing = sink.DisposeAsync().AsTask();
        Assert.False(sink.TryWrite(6));
        await Assert.ThrowsAsync<InvalidOperationException>(() => sink.WriteAsync(7).AsTask());
        consumer.Open();
        await disposing.WaitAsync(Patience);

        Assert.Equal([1, 2, 3, 4, 5], consumer.Handled);
    }

    [Fact]
    public async Task RunAsync_Abandoned_CountsWhatIsLeftAndReleasesWaiters()
    {
        var consumer = new RecordingConsumer(open: false);
        var sink = Sink(consumer, SinkFullMode.Wait, capacity: 10, maxBatch: 2);
        for (var i = 1; i <= 5; i++)
        {
            await sink.WriteAsync(i);
        }
        using var abandon = new CancellationTokenSource();
        var run = sink.RunAsync(abandon.Token);
        var idle = sink.WhenIdleAsync();

        await abandon.CancelAsync();
        await run.WaitAsync(Patience);
        await idle.WaitAsync(Patience);

        Assert.Empty(consumer.Handled);
        Assert.Equal(5, sink.Abandoned);
    }

    [Fact]
    public async Task RunAsync_HandlerThrows_CountsFailedAndKeepsConsuming()
    {
        var failures = new List<Exception>();
        var consumer = new RecordingConsumer { FailWhen = batch => batch.Contains(2) };
        var sink = new BoundedSink<int>(new BoundedSinkOptions("test", 10, SinkFullMode.Wait) { MaxBatchSize = 1 }, consumer.HandleAsync,
            onFailed: (exception, _) => failures.Add(exception));
        _ = sink.RunAsync(CancellationToken.None);

        for (var i = 1; i <= 3; i++)
        {
            await sink.WriteAsync(i);
        }
        await sink.WhenIdleAsync().WaitAsync(Patience);

        Assert.Equal([1, 3], consumer.Handled);
        Assert.Equal(1, sink.Failed);
        Assert.Single(failures);
        await sink.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_StartedTwice_Throws()
    {
        await using var sink = Sink(new RecordingConsumer(), SinkFullMode.Wait);
        _ = sink.RunAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => sink.RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Metrics_WritesDropsAndProcessing_AreReportedWithTheSinkName()
    {
        using var meters = new TestMeterFactory();
        var seen = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == BoundedSink<int>.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state = null)
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "moat.sink", Value: "test" })
                {
                    seen.AddOrUpdate(instrument.Name, value, (_, old) => instrument is ObservableGauge<int> ? value : old + value);
                }
            }
        }
        listener.SetMeasurementEventCallback<long>(Record);
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();

        var consumer = new RecordingConsumer(open: false);
        await using var sink = Sink(consumer, SinkFullMode.DropNewest, capacity: 2, meters: meters);
        for (var i = 0; i < 5; i++)
        {
            sink.TryWrite(i);
        }
        listener.RecordObservableInstruments();
        Assert.Equal(2, seen["moat.sink.depth"]);
        Assert.Equal(3, seen["moat.sink.dropped"]);

        _ = sink.RunAsync(CancellationToken.None);
        consumer.Open();
        await sink.WhenIdleAsync().WaitAsync(Patience);
        listener.RecordObservableInstruments();

        Assert.Equal(2, seen["moat.sink.processed"]);
        Assert.Equal(0, seen["moat.sink.depth"]);
    }

    [Fact]
    public void Settlement_AnyPolicyAndLoad_EveryAcceptedItemIsProcessedOrDroppedOnce()
    {
        Gen.Select(Gen.Enum<SinkFullMode>(), Gen.Int[1, 16], Gen.Int[1, 8], Gen.Int[0, 200], Gen.Int[1, 4])
            .Sample((mode, capacity, maxBatch, count, writers) =>
            {
                var consumer = new RecordingConsumer();
                var sink = Sink(consumer, mode, capacity, maxBatch);
                var run = sink.RunAsync(CancellationToken.None);
                var refused = 0L;
                Parallel.For(0, writers, w =>
                {
                    for (var i = w; i < count; i += writers)
                    {
                        if (mode == SinkFullMode.Wait)
                        {
                            sink.WriteAsync(i).AsTask().GetAwaiter().GetResult();
                        }
                        else if (!sink.TryWrite(i))
                        {
                            Interlocked.Increment(ref refused);
                        }
                    }
                });
                sink.WhenIdleAsync().WaitAsync(Patience).GetAwaiter().GetResult();
                sink.DisposeAsync().AsTask().WaitAsync(Patience).GetAwaiter().GetResult();
                run.WaitAsync(Patience).GetAwaiter().GetResult();

                var handled = consumer.Handled.ToArray();
                return handled.Length == handled.Distinct().Count()
                    && sink.Processed == handled.Length
                    && sink.Accepted + refused == count
                    && sink.Processed + sink.Dropped == count
                    && (mode != SinkFullMode.Wait || sink.Dropped == 0)
                    && consumer.BatchSizes.All(size => size <= maxBatch);
            }, iter: 200);
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }
        }
    }
}
