using Moat.Core.Changes;

namespace Moat.Storage;

/// <summary>
/// The embedded change feed: <see cref="PublishAsync"/> runs every subscriber before it returns, so a change is
/// visible to this process as soon as the store call that made it completes. Scale-out replaces it with Redis.
/// </summary>
public sealed class InProcessChangeFeed : IChangeFeed
{
    private readonly Lock _gate = new();

    // Copy-on-write: publishers iterate a snapshot without locking.
    private Func<OrgChanged, CancellationToken, Task>[] _handlers = [];

    public async Task PublishAsync(OrgChanged change, CancellationToken cancellationToken = default)
    {
        List<Exception>? failures = null;
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            try
            {
                await handler(change, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // One failing subscriber must not keep the change from the others.
                (failures ??= []).Add(exception);
            }
        }
        if (failures is not null)
        {
            throw new AggregateException($"Applying the change to organisation {change.OrgId} failed.", failures);
        }
    }

    public IDisposable Subscribe(Func<OrgChanged, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }
        return new Subscription(this, handler);
    }

    private void Unsubscribe(Func<OrgChanged, CancellationToken, Task> handler)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_handlers, handler);
            if (index >= 0)
            {
                _handlers = [.. _handlers[..index], .. _handlers[(index + 1)..]];
            }
        }
    }

    private sealed class Subscription(InProcessChangeFeed feed, Func<OrgChanged, CancellationToken, Task> handler) : IDisposable
    {
        public void Dispose() => feed.Unsubscribe(handler);
    }
}
