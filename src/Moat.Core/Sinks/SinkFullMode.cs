namespace Moat.Core.Sinks;

/// <summary>What a <see cref="BoundedSink{T}"/> does with a write when its queue is full.</summary>
public enum SinkFullMode
{
    /// <summary>The writer waits for room (<see cref="BoundedSink{T}.WriteAsync"/>); nothing is ever dropped.</summary>
    Wait,

    /// <summary>The new item is refused and counted as dropped; the writer never waits.</summary>
    DropNewest,

    /// <summary>The oldest queued item is evicted and counted as dropped to make room; the writer never waits.</summary>
    DropOldest,
}

/// <summary>Capacity, full-channel policy and batching of one <see cref="BoundedSink{T}"/>.</summary>
public sealed record BoundedSinkOptions(string Name, int Capacity, SinkFullMode FullMode)
{
    /// <summary>The most items handed to the consumer at once.</summary>
    public int MaxBatchSize { get; init; } = 256;

    /// <summary>How long the consumer waits for a partial batch to fill (zero: hand over whatever is queued).</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.Zero;
}

/// <summary>Consumes one batch of a <see cref="BoundedSink{T}"/>; the token fires only when the sink is abandoned.</summary>
public delegate ValueTask SinkBatchHandler<T>(IReadOnlyList<T> batch, CancellationToken cancellationToken);
