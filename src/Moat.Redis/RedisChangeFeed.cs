using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Core.Access;
using Moat.Core.Changes;
using StackExchange.Redis;

namespace Moat.Redis;

/// <summary>
/// The scale-out change feed: a change is applied to this replica's subscribers first (so the next request here sees
/// it), then published on a Redis channel that every other replica applies within milliseconds. After a Redis
/// reconnect a replica reloads its whole key directory, since messages published while it was cut off are lost.
/// </summary>
public sealed partial class RedisChangeFeed : IChangeFeed, IHostedService
{
    private readonly IConnectionMultiplexer _redis;
    private readonly IServiceProvider _services;
    private readonly ILogger<RedisChangeFeed> _logger;
    private readonly RedisChannel _channel;
    private readonly string _origin = Guid.NewGuid().ToString("n");
    private readonly CancellationTokenSource _stopping = new();
    private Task _subscribing = Task.CompletedTask;
    private ImmutableArray<Func<OrgChanged, CancellationToken, Task>> _handlers = [];

    public RedisChangeFeed(IConnectionMultiplexer redis, IServiceProvider services, IOptions<RedisOptions> options, ILogger<RedisChangeFeed> logger)
    {
        _redis = redis;
        _services = services;
        _logger = logger;
        _channel = RedisChannel.Literal(options.Value.KeyPrefix + ":changes");
    }

    public async Task PublishAsync(OrgChanged change, CancellationToken cancellationToken = default)
    {
        await ApplyAsync(change, cancellationToken).ConfigureAwait(false);
        var message = JsonSerializer.Serialize(new ChangeMessage(change.OrgId, change.Reason, _origin));
        try
        {
            await _redis.GetSubscriber().PublishAsync(_channel, message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Other replicas converge through their periodic full refresh.
            PublishFailed(_logger, change.OrgId, ex.GetType().Name);
        }
    }

    public IDisposable Subscribe(Func<OrgChanged, CancellationToken, Task> handler)
    {
        ImmutableInterlocked.Update(ref _handlers, static (list, h) => list.Add(h), handler);
        return new Subscription(this, handler);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _redis.ConnectionRestored += OnConnectionRestored;
        // Never block start-up on Redis: keep trying in the background; until then this replica converges
        // through its periodic full refresh (the documented degraded mode).
        _subscribing = Task.Run(() => SubscribeUntilDoneAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task SubscribeUntilDoneAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var queue = await _redis.GetSubscriber().SubscribeAsync(_channel).ConfigureAwait(false);
                queue.OnMessage(OnMessageAsync);
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                SubscribeFailed(_logger, ex.GetType().Name);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task OnMessageAsync(ChannelMessage message)
    {
        ChangeMessage? change;
        try
        {
            change = JsonSerializer.Deserialize<ChangeMessage>(message.Message.ToString());
        }
        catch (JsonException)
        {
            return;
        }
        if (change is null || change.Origin == _origin)
        {
            return;
        }
        await ApplyAsync(new OrgChanged(change.OrgId, change.Reason), CancellationToken.None).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _redis.ConnectionRestored -= OnConnectionRestored;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _subscribing.ConfigureAwait(false);
        if (_redis.IsConnected)
        {
            try
            {
                await _redis.GetSubscriber().UnsubscribeAsync(_channel).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                SubscribeFailed(_logger, ex.GetType().Name);
            }
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await _services.GetRequiredService<IKeyDirectory>().RefreshAllAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                ApplyFailed(_logger, "*", ex);
            }
        });

    private async Task ApplyAsync(OrgChanged change, CancellationToken cancellationToken)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                await handler(change, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ApplyFailed(_logger, change.OrgId, ex);
            }
        }
    }

    private sealed record ChangeMessage(string OrgId, string Reason, string Origin);

    private sealed class Subscription(RedisChangeFeed feed, Func<OrgChanged, CancellationToken, Task> handler) : IDisposable
    {
        public void Dispose() => ImmutableInterlocked.Update(ref feed._handlers, static (list, h) => list.Remove(h), handler);
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Could not broadcast the change of {OrgId} over Redis ({Failure}); other replicas catch up at their next full refresh")]
    private static partial void PublishFailed(ILogger logger, string orgId, string failure);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Could not subscribe to the Redis change channel ({Failure}); retrying")]
    private static partial void SubscribeFailed(ILogger logger, string failure);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Applying a change of {OrgId} failed")]
    private static partial void ApplyFailed(ILogger logger, string orgId, Exception exception);
}
