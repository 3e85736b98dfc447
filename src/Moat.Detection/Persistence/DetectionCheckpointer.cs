using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Detection.Enforcement;
using Moat.Detection.Scoring;

namespace Moat.Detection.Persistence;

/// <summary>
/// Carries detection state across restarts through an <see cref="IDetectionCheckpointStore"/>: <see cref="RestoreAsync"/>
/// reads checkpoints and history back before the detection loop runs, <see cref="RunAsync"/> writes the organisations
/// that changed every <see cref="DetectionCheckpointOptions.CheckpointIntervalSeconds"/>, and the host calls
/// <see cref="SaveChangedAsync"/> once more after the loop drained on a graceful stop. Without a store it does nothing.
/// </summary>
public sealed class DetectionCheckpointer
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly DetectionState _state;
    private readonly RiskScorer _scorer;
    private readonly IDetectionCheckpointStore? _store;
    private readonly PolicyEngine? _policy;
    private readonly DetectionCheckpointOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DetectionCheckpointer> _logger;
    private readonly TaskCompletionSource _restored = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _saving = new(1, 1);

    // What was last written (or read back) per organisation; touched only under _saving or before the restore completes.
    private readonly Dictionary<string, CheckpointVersion> _saved = new(StringComparer.Ordinal);

    public DetectionCheckpointer(
        DetectionState state,
        RiskScorer scorer,
        IDetectionCheckpointStore? store,
        PolicyEngine? policy,
        IOptions<DetectionCheckpointOptions> options,
        TimeProvider time,
        ILogger<DetectionCheckpointer> logger)
    {
        _state = state;
        _scorer = scorer;
        _store = store;
        _policy = policy;
        _options = options.Value;
        _time = time;
        _logger = logger;
        if (store is null)
        {
            _restored.TrySetResult();
        }
    }

    /// <summary>True once the stored state has been read back (at once without a store).</summary>
    public bool IsRestored => _restored.Task.IsCompleted;

    /// <summary>Completes once the stored state has been read back.</summary>
    public Task WhenRestoredAsync(CancellationToken cancellationToken = default) => _restored.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Reads every checkpoint and each organisation's recent history into the detection state and the policy engine.
    /// A failure (database unreachable) is logged and retried with back-off: the detection loop waits for it rather than
    /// score from nothing and then overwrite the stored checkpoints.
    /// </summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        if (_store is null || IsRestored)
        {
            return;
        }
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                var checkpoints = await _store.LoadCheckpointsAsync(cancellationToken).ConfigureAwait(false);
                var history = await _store.LoadHistoryAsync(_state.Options.HistoryCapacity, cancellationToken).ConfigureAwait(false);
                var organizations = _state.Restore(checkpoints, history, _scorer.LevelOf);
                _policy?.Restore(checkpoints);
                // What was read back counts as saved: only organisations that change from here are written again.
                foreach (var (checkpoint, version) in _state.CaptureChanged(_saved, StepsOf, _time.GetUtcNow()))
                {
                    _saved[checkpoint.OrgId] = version;
                }
                PersistenceLog.Restored(_logger, organizations, checkpoints.Count, history.Count);
                _restored.TrySetResult();
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                PersistenceLog.RestoreFailed(_logger, exception, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
            }
        }
    }

    /// <summary>Writes the checkpoints of the organisations that changed since the last write; returns how many.</summary>
    public async Task<int> SaveChangedAsync(CancellationToken cancellationToken)
    {
        if (_store is null || !IsRestored)
        {
            // Before the restore, memory holds less than the store: writing it would lose what is there.
            return 0;
        }
        await _saving.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IReadOnlyList<(DetectionCheckpoint Checkpoint, CheckpointVersion Version)> changed = [];
            var checkpoints = new List<DetectionCheckpoint>();
            try
            {
                changed = _state.CaptureChanged(_saved, StepsOf, _time.GetUtcNow());
                if (changed.Count == 0)
                {
                    return 0;
                }
                foreach (var (checkpoint, _) in changed)
                {
                    checkpoints.Add(checkpoint);
                }
                await _store.SaveAsync(checkpoints, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                PersistenceLog.SaveFailed(_logger, exception, changed.Count);
                return 0;
            }
            foreach (var (checkpoint, version) in changed)
            {
                _saved[checkpoint.OrgId] = version;
            }
            PersistenceLog.Saved(_logger, checkpoints.Count);
            return checkpoints.Count;
        }
        finally
        {
            _saving.Release();
        }
    }

    /// <summary>
    /// On the configured interval until <paramref name="stoppingToken"/>: lets the policy engine act on organisations
    /// whose allow-list entry ended (<see cref="PolicyEngine.ResumeExpiredAsync"/>), then checkpoints changed organisations.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (_store is null && _policy is null)
        {
            return;
        }
        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (_policy is not null)
                {
                    try
                    {
                        await _policy.ResumeExpiredAsync(stoppingToken).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        PersistenceLog.ResumeFailed(_logger, exception);
                    }
                }
                await SaveChangedAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private (EnforcementStep Taken, EnforcementStep Suppressed) StepsOf(string orgId) =>
        _policy?.StepsOf(orgId) ?? (EnforcementStep.None, EnforcementStep.None);
}
