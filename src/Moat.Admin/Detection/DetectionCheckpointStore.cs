using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Moat.Detection.Persistence;
using Moat.Detection.Scoring;
using Moat.Storage;
using Moat.Storage.Entities;

namespace Moat.Admin.Detection;

/// <summary>
/// Detection's state across restarts in the database: checkpoints in <c>detection_checkpoints</c> (one row per
/// organisation, replaced on each write) and the history read back from <c>risk_snapshots</c>.
/// </summary>
public sealed class DetectionCheckpointStore(IDbContextFactory<MoatDbContext> contexts) : IDetectionCheckpointStore
{
    private const int BatchSize = 500;

    public async Task<IReadOnlyList<DetectionCheckpoint>> LoadCheckpointsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.DetectionCheckpoints.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new DetectionCheckpoint(
            r.OrgId,
            r.SavedAt,
            EnforcementStepNames.Parse(r.PolicySteps),
            EnforcementStepNames.Parse(r.SuppressedSteps),
            r.Score,
            r.PeakScore,
            r.Evidence)).ToList();
    }

    public async Task<IReadOnlyList<RiskSnapshot>> LoadHistoryAsync(int perOrganization, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perOrganization, 1);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // One query for every organisation: the window function ranks each org's snapshots newest first (SQLite ≥ 3.25
        // and PostgreSQL both have it); the (org_id, at) index serves the partitions.
        var rows = await db.RiskSnapshots
            .FromSql($"""
                SELECT id, org_id, at, score, level, signals_json FROM (
                    SELECT id, org_id, at, score, level, signals_json,
                           ROW_NUMBER() OVER (PARTITION BY org_id ORDER BY at DESC, id DESC) AS recency
                    FROM risk_snapshots) AS ranked
                WHERE recency <= {perOrganization}
                """)
            .AsNoTracking()
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return rows.Select(r => new RiskSnapshot(r.OrgId, r.At, r.Score, LevelOf(r.Level), null, TopSignalOf(r.SignalsJson))).ToList();
    }

    public async Task SaveAsync(IReadOnlyList<DetectionCheckpoint> checkpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        for (var start = 0; start < checkpoints.Count; start += BatchSize)
        {
            var batch = checkpoints.Skip(start).Take(BatchSize).ToList();
            var ids = batch.Select(c => c.OrgId).ToList();
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var existing = await db.DetectionCheckpoints.Where(c => ids.Contains(c.OrgId))
                .ToDictionaryAsync(c => c.OrgId, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);
            foreach (var checkpoint in batch)
            {
                if (!existing.TryGetValue(checkpoint.OrgId, out var row))
                {
                    row = new DetectionCheckpointEntity { OrgId = checkpoint.OrgId };
                    db.DetectionCheckpoints.Add(row);
                }
                row.SavedAt = checkpoint.SavedAt;
                row.PolicySteps = EnforcementStepNames.Format(checkpoint.PolicySteps);
                row.SuppressedSteps = EnforcementStepNames.Format(checkpoint.SuppressedSteps);
                row.Score = checkpoint.Score;
                row.PeakScore = checkpoint.PeakScore;
                row.Evidence = checkpoint.Evidence;
            }
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static RiskLevel LevelOf(string level) => level switch
    {
        "elevated" => RiskLevel.Elevated,
        "high" => RiskLevel.High,
        "critical" => RiskLevel.Critical,
        _ => RiskLevel.Low,
    };

    private static string? TopSignalOf(string signalsJson)
    {
        try
        {
            using var document = JsonDocument.Parse(signalsJson);
            return document.RootElement is { ValueKind: JsonValueKind.Array } signals && signals.GetArrayLength() > 0
                && signals[0].ValueKind == JsonValueKind.String
                ? signals[0].GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
