using Moat.Detection.Enforcement;
using Moat.Detection.Linkage;
using Moat.Detection.Persistence;
using Moat.Detection.Sketches;

namespace Moat.Detection.Scoring;

/// <summary>
/// The per-organisation sketches and the linkage graph, shared by the engine (the only writer, on its loop)
/// and the scorer (readers from admin requests). Guarded by one lock; no I/O happens under it.
/// </summary>
public sealed class DetectionState
{
    public DetectionState(DetectionOptions options)
    {
        Options = options;
        Linkage = new TenantLinkage(options.MaxOrgsPerLinkFeature);
        Releases = options.ModelReleases.Select(r => (r.Key, r.Value)).OrderBy(r => r.Value).ToArray();
        Replies = new ServedReplies(options.ServedReplyCapacity);
    }

    /// <summary>Fingerprints of the replies served to each organisation (verifies conversations).</summary>
    internal ServedReplies Replies { get; }

    internal object Gate { get; } = new();
    internal DetectionOptions Options { get; }
    internal IReadOnlyList<(string Model, DateTimeOffset ReleasedAt)> Releases { get; }
    internal Dictionary<string, TenantState> Orgs { get; } = new(StringComparer.Ordinal);
    internal TenantState GetOrAdd(string orgId)
    {
        if (!Orgs.TryGetValue(orgId, out var state))
        {
            state = new TenantState(orgId, Options, Releases, Replies);
            Orgs[orgId] = state;
        }
        return state;
    }

    internal TenantLinkage Linkage { get; }

    internal ActivityMinutes? ActivityOf(string orgId) => Orgs.TryGetValue(orgId, out var s) ? s.Activity : null;

    /// <summary>
    /// Restores organisations from their checkpoints and persisted history, before the loop processes traffic: evidence
    /// is imported, score and peak are set, and the most recent <see cref="DetectionOptions.HistoryCapacity"/> snapshots
    /// (oldest first) refill the history ring, so the leaderboard and an org's history read as before the restart. An
    /// organisation with history but no checkpoint takes its score from its latest snapshot. Returns the organisations
    /// restored.
    /// </summary>
    public int Restore(IReadOnlyList<DetectionCheckpoint> checkpoints, IReadOnlyList<RiskSnapshot> history, Func<double, RiskLevel> levelOf)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(levelOf);
        var restored = new HashSet<string>(StringComparer.Ordinal);
        lock (Gate)
        {
            foreach (var checkpoint in checkpoints)
            {
                var org = GetOrAdd(checkpoint.OrgId);
                // The evidence (when there is any to import) rebuilds the score at the next request; until then the
                // org's own score is what was last known.
                if (checkpoint.Evidence is { } evidence)
                {
                    org.ImportEvidence(evidence);
                }
                org.OwnScore = checkpoint.Score;
                org.Score = checkpoint.Score;
                org.PeakScore = Math.Max(org.PeakScore, Math.Max(checkpoint.PeakScore, checkpoint.Score));
                org.LastLevel = levelOf(checkpoint.Score);
                restored.Add(checkpoint.OrgId);
            }
            foreach (var snapshots in history.GroupBy(s => s.OrgId, StringComparer.Ordinal))
            {
                var ordered = snapshots.OrderBy(s => s.At).ToList();
                var recent = ordered.Skip(Math.Max(0, ordered.Count - Options.HistoryCapacity)).ToList();
                var org = GetOrAdd(snapshots.Key);
                foreach (var snapshot in recent)
                {
                    org.History.Add(snapshot);
                    org.PeakScore = Math.Max(org.PeakScore, snapshot.Score);
                }
                var latest = recent[^1];
                org.LastSnapshotAt = latest.At;
                if (restored.Add(snapshots.Key))
                {
                    org.Score = latest.Score;
                    org.OwnScore = latest.Score;
                    org.LastLevel = latest.Level;
                }
            }
        }
        return restored.Count;
    }

    /// <summary>
    /// Checkpoints of the organisations whose requests, score, peak or policy steps differ from <paramref name="saved"/>
    /// (what was last written), each with its version to record once written. Evidence is exported under the lock.
    /// </summary>
    public IReadOnlyList<(DetectionCheckpoint Checkpoint, CheckpointVersion Version)> CaptureChanged(
        IReadOnlyDictionary<string, CheckpointVersion> saved,
        Func<string, (EnforcementStep Taken, EnforcementStep Suppressed)> policyOf,
        DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(policyOf);
        var changed = new List<(DetectionCheckpoint, CheckpointVersion)>();
        lock (Gate)
        {
            foreach (var org in Orgs.Values)
            {
                var (taken, suppressed) = policyOf(org.OrgId);
                var version = new CheckpointVersion(org.Requests, org.Score, org.PeakScore, taken, suppressed);
                if (saved.TryGetValue(org.OrgId, out var last) && last == version)
                {
                    continue;
                }
                changed.Add((new DetectionCheckpoint(org.OrgId, at, taken, suppressed, org.Score, org.PeakScore, org.ExportEvidence()), version));
            }
        }
        return changed;
    }
}

/// <summary>What a checkpoint captured of an organisation, to tell whether it changed since.</summary>
public readonly record struct CheckpointVersion(long Requests, double Score, double PeakScore, EnforcementStep Taken, EnforcementStep Suppressed);
