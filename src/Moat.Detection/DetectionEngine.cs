using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Core.Signals;
using Moat.Core.Sinks;
using Moat.Detection.Benchmarks;
using Moat.Detection.Enforcement;
using Moat.Detection.Linkage;
using Moat.Detection.Scoring;
using Moat.Detection.Semantic;
using Moat.Detection.Signals;

namespace Moat.Detection;

/// <summary>An organisation's score moved.</summary>
public sealed record RiskChange(string OrgId, double PreviousScore, double Score, DateTimeOffset At);

/// <summary>Told about score changes on the detection loop (the policy engine is one).</summary>
public interface IRiskObserver
{
    Task OnRiskChangedAsync(RiskChange change, CancellationToken cancellationToken);
}

/// <summary>
/// Turns request features into per-organisation sketches and scores. <see cref="Post"/> is the only member on the
/// request path: it writes to a <see cref="BoundedSink{T}"/> that drops the oldest item when full and never blocks.
/// <see cref="RunAsync"/> consumes it; <see cref="Process"/> does the same work synchronously (tests, simulator).
/// </summary>
public sealed class DetectionEngine : IRequestFeatureSink
{
    /// <summary>Score moves smaller than this are not reported to observers.</summary>
    private const double ReportableChange = 0.5;
    private const int LinkRecheckInterval = 50;

    /// <summary>A sampled prompt is embedded from its first characters (the model reads 256 word pieces).</summary>
    private const int MaxEmbeddedCharacters = 2000;

    private readonly BoundedSink<RequestFeatures> _sink;
    private readonly IPromptEmbedder? _embedder;
    private readonly bool _embedInline;
    private readonly BoundedSink<EmbeddingJob>? _embeddings;
    private long _embeddingsSkipped;
    private long _embedSecond;
    private int _embedsThisSecond;
    private readonly DetectionState _state;
    private readonly BenchmarkIndex _index;
    private readonly IReadOnlyList<IRiskObserver> _observers;
    private readonly IRiskSnapshotSink? _snapshots;
    private readonly ILogger _logger;
    private readonly List<ulong> _tokens = new(512);
    private readonly List<TenantState> _members = [];
    private long _processed;
    private long _droppedReported;

    public DetectionEngine(
        DetectionState state,
        RiskScorer scorer,
        BenchmarkIndex index,
        IEnumerable<IRiskObserver> observers,
        IRiskSnapshotSink? snapshots,
        ILogger<DetectionEngine> logger,
        IMeterFactory? meters = null,
        IPromptEmbedder? embedder = null,
        bool embedInline = false)
    {
        _state = state;
        Scorer = scorer;
        _index = index;
        _observers = observers.ToList();
        _snapshots = snapshots;
        _logger = logger;
        // Detection is best-effort and must never slow a request: a full queue evicts the oldest features (counted);
        // the newest say most about an org's current behaviour.
        _sink = new BoundedSink<RequestFeatures>(
            new BoundedSinkOptions("detection", state.Options.ChannelCapacity, SinkFullMode.DropOldest),
            ProcessBatchAsync,
            meters);
        _embedder = embedder;
        _embedInline = embedInline;
        if (embedder is not null && !embedInline)
        {
            // Embedding costs milliseconds: sampled openings wait here, off the scoring loop; when the embedder falls
            // behind, new samples are refused (counted) and the contrast works from fewer.
            _embeddings = new BoundedSink<EmbeddingJob>(
                new BoundedSinkOptions("detection-embeddings", 1024, SinkFullMode.DropNewest) { MaxBatchSize = 16 },
                EmbedBatchAsync,
                meters);
        }
    }

    /// <summary>An engine with defaults, for tests and the offline simulator.</summary>
    public static DetectionEngine Create(
        DetectionOptions? options = null,
        BenchmarkIndex? index = null,
        TimeProvider? time = null,
        IOrgContextProvider? orgs = null,
        EnforcementOptions? enforcement = null,
        IEnumerable<IRiskObserver>? observers = null,
        IPromptEmbedder? embedder = null)
    {
        var state = new DetectionState(options ?? new DetectionOptions());
        time ??= TimeProvider.System;
        var scorer = new RiskScorer(state, orgs ?? NoOrgContextProvider.Instance, enforcement ?? new EnforcementOptions(), time);
        // Offline (tests, the simulator) a sampled opening is embedded where it is seen, so runs are deterministic.
        return new DetectionEngine(state, scorer, index ?? BenchmarkIndex.Empty, observers ?? [], null, NullLogger<DetectionEngine>.Instance,
            embedder: embedder, embedInline: true);
    }

    public RiskScorer Scorer { get; }

    internal DetectionState State => _state;

    /// <summary>Features accepted by <see cref="Post"/>.</summary>
    public long Posted => _sink.Accepted;

    /// <summary>Features evicted unprocessed because the queue was full.</summary>
    public long Dropped => _sink.Dropped;

    /// <summary>Features scored, by the loop or by <see cref="Process"/>.</summary>
    public long Processed => Interlocked.Read(ref _processed);

    /// <summary>Queues features for the background loop. Lock-free, constant time, never blocks; drops the oldest when full.</summary>
    public void Post(RequestFeatures features)
    {
        if (!_state.Options.Enabled)
        {
            return;
        }
        _sink.TryWrite(features);
    }

    /// <summary>
    /// Completes once everything posted before the call has been processed (or dropped) and its observers notified,
    /// or the loop has stopped: lets a caller read scores that include every request it sent.
    /// </summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        await _sink.WhenIdleAsync(cancellationToken).ConfigureAwait(false);
        if (_embeddings is not null)
        {
            await _embeddings.WhenIdleAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sampled openings not embedded: refused because the embedder fell behind, or beyond its rate (<see cref="DetectionOptions.SemanticEmbeddingsPerSecond"/>).</summary>
    public long EmbeddingsDropped => (_embeddings?.Dropped ?? 0) + Interlocked.Read(ref _embeddingsSkipped);

    /// <summary>
    /// Consumes the queue, scoring each request and notifying observers of score changes, until <see cref="CompleteAsync"/>
    /// has drained it or <paramref name="cancellationToken"/> abandons what is left (features are best-effort).
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        _embeddings is null ? _sink.RunAsync(cancellationToken) : Task.WhenAll(_sink.RunAsync(cancellationToken), _embeddings.RunAsync(cancellationToken));

    /// <summary>Accepts no more features and waits for the loop to process what is queued (or for the token).</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        await _sink.DrainAsync(cancellationToken).ConfigureAwait(false);
        if (_embeddings is not null)
        {
            await _embeddings.DrainAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask EmbedBatchAsync(IReadOnlyList<EmbeddingJob> batch, CancellationToken cancellationToken)
    {
        foreach (var job in batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var second = Environment.TickCount64 / 1000;
            if (second != _embedSecond)
            {
                _embedSecond = second;
                _embedsThisSecond = 0;
            }
            if (_embedsThisSecond >= _state.Options.SemanticEmbeddingsPerSecond)
            {
                Interlocked.Increment(ref _embeddingsSkipped); // the contrast works from fewer samples; the gateway keeps its CPU
                continue;
            }
            _embedsThisSecond++;
            float[] vector;
            try
            {
                vector = _embedder!.Embed(job.Text);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                DetectionLog.EmbeddingFailed(_logger, ex, job.OrgId);
                continue;
            }
            lock (_state.Gate)
            {
                if (_state.Orgs.TryGetValue(job.OrgId, out var org))
                {
                    org.AttachEmbedding(job.Fingerprint, vector, job.At);
                }
            }
        }
        return ValueTask.CompletedTask;
    }

    private async ValueTask ProcessBatchAsync(IReadOnlyList<RequestFeatures> batch, CancellationToken cancellationToken)
    {
        foreach (var features in batch)
        {
            IReadOnlyList<RiskChange> changes;
            try
            {
                changes = Process(features);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                DetectionLog.ProcessFailed(_logger, ex, features.RequestId);
                continue;
            }
            foreach (var change in changes)
            {
                await NotifyAsync(change, cancellationToken).ConfigureAwait(false);
            }
        }
        var dropped = Dropped;
        if (dropped > _droppedReported)
        {
            _droppedReported = dropped;
            DetectionLog.FeaturesDropped(_logger, dropped);
        }
    }

    /// <summary>Processes one request synchronously and returns the score changes it caused. Deterministic for a given input order.</summary>
    public IReadOnlyList<RiskChange> Process(RequestFeatures features)
    {
        List<RiskChange>? changes = null;
        lock (_state.Gate)
        {
            var analysis = RequestAnalysis.Create(features, _index, _tokens);
            var org = _state.GetOrAdd(features.OrgId);
            if (org.Observe(features, analysis, sampleOpenings: _embedder is not null) is { } sample)
            {
                Embed(org, sample.Fingerprint, sample.Text, features.Timestamp);
            }
            UpdateLinks(org, analysis);
            org.OwnScore = Scorer.ScoreOwn(org);
            var memberIds = _state.Linkage.ClusterOf(org.OrgId);
            if (memberIds.Count > 1)
            {
                _members.Clear();
                foreach (var id in memberIds)
                {
                    _members.Add(_state.GetOrAdd(id));
                }
                var clusterScore = Scorer.ScoreCluster(_members);
                foreach (var member in _members)
                {
                    Apply(member, Math.Max(member.OwnScore, clusterScore), features.Timestamp, ref changes);
                }
            }
            else
            {
                Apply(org, org.OwnScore, features.Timestamp, ref changes);
            }
        }
        Interlocked.Increment(ref _processed);
        return changes ?? (IReadOnlyList<RiskChange>)[];
    }

    private void Embed(TenantState org, ulong fingerprint, string text, DateTimeOffset at)
    {
        // The prompt's opening is enough to place it (the model reads 256 tokens); the text is not kept past the embedding.
        text = text.Length > MaxEmbeddedCharacters ? text[..MaxEmbeddedCharacters] : text;
        if (!_embedInline)
        {
            _embeddings!.TryWrite(new EmbeddingJob(org.OrgId, fingerprint, text, at));
            return;
        }
        try
        {
            org.AttachEmbedding(fingerprint, _embedder!.Embed(text), at);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DetectionLog.EmbeddingFailed(_logger, ex, org.OrgId);
        }
    }

    private readonly record struct EmbeddingJob(string OrgId, ulong Fingerprint, string Text, DateTimeOffset At);

    private void UpdateLinks(TenantState org, RequestAnalysis analysis)
    {
        var linkage = _state.Linkage;
        Func<string, ActivityMinutes?> activity = _state.ActivityOf;
        var joined = false;
        if (analysis.IpPrefixHash != 0 && org.LinkFeatures.Count < TenantState.MaxLinkFeatures && org.LinkFeatures.Add(analysis.IpPrefixHash))
        {
            joined |= linkage.Register(org.OrgId, LinkKinds.SharedIpPrefix, analysis.IpPrefixHash, activity);
        }
        if (analysis.UserAgentHash != 0 && org.LinkFeatures.Count < TenantState.MaxLinkFeatures && org.LinkFeatures.Add(analysis.UserAgentHash))
        {
            joined |= linkage.Register(org.OrgId, LinkKinds.SharedUserAgent, analysis.UserAgentHash, activity);
        }
        if (org.Templates.DominantTemplate is { } template && org.RegisteredTemplate != template)
        {
            org.RegisteredTemplate = template;
            joined |= linkage.Register(org.OrgId, LinkKinds.SharedTemplate, template, activity);
        }
        if (org.Requests % LinkRecheckInterval == 0)
        {
            joined |= linkage.Recheck(org.OrgId, activity);
        }
        if (joined && _logger.IsEnabled(LogLevel.Information))
        {
            var clusterId = linkage.ClusterIdOf(org.OrgId) ?? org.OrgId;
            foreach (var other in linkage.ClusterOf(org.OrgId))
            {
                if (other != org.OrgId)
                {
                    DetectionLog.ClusterJoined(_logger, org.OrgId, other, clusterId);
                    break;
                }
            }
        }
    }

    private void Apply(TenantState org, double score, DateTimeOffset at, ref List<RiskChange>? changes)
    {
        var previous = org.Score;
        org.Score = score;
        org.PeakScore = Math.Max(org.PeakScore, score);
        var level = Scorer.LevelOf(score);
        var due = org.LastSnapshotAt is null || at - org.LastSnapshotAt >= _state.Options.HistoryInterval;
        if (level != org.LastLevel || (due && Math.Abs(score - (org.History.Latest?.Score ?? 0)) >= ReportableChange))
        {
            var snapshot = new RiskSnapshot(org.OrgId, at, Math.Round(score, 1), level, _state.Linkage.ClusterIdOf(org.OrgId), null);
            org.History.Add(snapshot);
            org.LastSnapshotAt = at;
            org.LastLevel = level;
            _snapshots?.Write(snapshot);
        }
        if (Math.Abs(score - previous) >= ReportableChange)
        {
            (changes ??= []).Add(new RiskChange(org.OrgId, previous, score, at));
        }
    }

    private async Task NotifyAsync(RiskChange change, CancellationToken cancellationToken)
    {
        foreach (var observer in _observers)
        {
            try
            {
                await observer.OnRiskChangedAsync(change, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                DetectionLog.ObserverFailed(_logger, ex, change.OrgId);
            }
        }
    }
}
