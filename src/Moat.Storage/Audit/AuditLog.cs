using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Moat.Storage.Entities;

namespace Moat.Storage;

/// <summary>
/// The append-only, hash-chained record of every administrative change. Each entry's hash covers its content and
/// the previous entry's hash, so editing, removing or reordering any entry breaks the chain from that point.
/// </summary>
public sealed class AuditLog(IDbContextFactory<MoatDbContext> contexts, TimeProvider time)
{
    public const int MaxPageSize = 500;

    // Arbitrary, fixed key of the PostgreSQL advisory lock that serialises appends across replicas.
    private const long PostgresAppendLockKey = 0x4d6f61744175646c; // "MoatAudl"

    // Serialises appends within this process; the database lock does the same across processes.
    private readonly SemaphoreSlim _appendLock = new(1, 1);

    /// <summary>Appends one entry; the payload (any object, serialised snake_case) may be null.</summary>
    public async Task<AuditEntryEntity> AppendAsync(
        string actor,
        string action,
        string subject,
        object? payload,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentNullException.ThrowIfNull(subject);
        var payloadJson = AuditCanonicalJson.Payload(payload);

        await _appendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            // On SQLite this is BEGIN IMMEDIATE: the write lock is taken before the tail is read.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (db.Database.IsNpgsql())
            {
                await db.Database
                    .ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({PostgresAppendLockKey})", cancellationToken)
                    .ConfigureAwait(false);
            }

            var tail = await db.AuditEntries.AsNoTracking()
                .OrderByDescending(e => e.Seq)
                .Select(e => new { e.Seq, e.Hash })
                .FirstOrDefaultAsync(cancellationToken)
                .ConfigureAwait(false);
            var seq = (tail?.Seq ?? 0) + 1;
            var prevHash = tail?.Hash ?? AuditCanonicalJson.GenesisHash;
            var at = AuditCanonicalJson.TruncateToMilliseconds(time.GetUtcNow());

            var entry = new AuditEntryEntity
            {
                Seq = seq,
                At = at,
                Actor = actor,
                Action = action,
                Subject = subject,
                PayloadJson = payloadJson,
                PrevHash = prevHash,
                Hash = AuditCanonicalJson.Hash(seq, at, actor, action, subject, payloadJson, prevHash),
            };
            db.AuditEntries.Add(entry);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return entry;
        }
        finally
        {
            _appendLock.Release();
        }
    }

    /// <summary>Entries newest first; <paramref name="cursor"/> is the <see cref="Page{T}.NextCursor"/> of the previous page.</summary>
    public async Task<Page<AuditEntryEntity>> ListAsync(
        string? cursor = null,
        int limit = 100,
        AuditQuery? filter = null,
        CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.AuditEntries.AsNoTracking();
        if (cursor is not null)
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var before))
            {
                throw new ArgumentException($"'{cursor}' is not an audit cursor.", nameof(cursor));
            }
            query = query.Where(e => e.Seq < before);
        }
        if (filter?.Actor is { } actor)
        {
            query = query.Where(e => e.Actor == actor);
        }
        if (filter?.Action is { } action)
        {
            query = query.Where(e => e.Action == action);
        }
        if (filter?.Subject is { } subject)
        {
            query = query.Where(e => e.Subject == subject);
        }
        if (filter?.From is { } from)
        {
            var fromUtc = from.ToUniversalTime();
            query = query.Where(e => e.At >= fromUtc);
        }
        if (filter?.To is { } to)
        {
            var toUtc = to.ToUniversalTime();
            query = query.Where(e => e.At < toUtc);
        }
        var rows = await query.OrderByDescending(e => e.Seq).Take(limit + 1).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (rows.Count <= limit)
        {
            return new Page<AuditEntryEntity>(rows, null);
        }
        rows.RemoveAt(rows.Count - 1);
        return new Page<AuditEntryEntity>(rows, rows[^1].Seq.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Recomputes the whole chain from the database, streaming it in seq order.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entries = db.AuditEntries.AsNoTracking().OrderBy(e => e.Seq).AsAsyncEnumerable();
        long count = 0;
        long expectedSeq = 1;
        var prevHash = AuditCanonicalJson.GenesisHash;
        long? firstBroken = null;
        await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            count++;
            if (firstBroken is not null)
            {
                continue;
            }
            if (entry.Seq != expectedSeq)
            {
                // A missing or inserted entry: the chain breaks at the first seq that is not where it should be.
                firstBroken = Math.Min(entry.Seq, expectedSeq);
                continue;
            }
            var hash = AuditCanonicalJson.Hash(entry.Seq, entry.At, entry.Actor, entry.Action, entry.Subject, entry.PayloadJson, entry.PrevHash);
            if (!string.Equals(entry.PrevHash, prevHash, StringComparison.Ordinal) || !string.Equals(entry.Hash, hash, StringComparison.Ordinal))
            {
                firstBroken = entry.Seq;
                continue;
            }
            prevHash = entry.Hash;
            expectedSeq++;
        }
        return new AuditVerification(firstBroken is null, count, firstBroken);
    }
}

/// <summary>Optional filters of <see cref="AuditLog.ListAsync"/>; <see cref="From"/> inclusive, <see cref="To"/> exclusive.</summary>
public sealed record AuditQuery(
    string? Actor = null,
    string? Action = null,
    string? Subject = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null);

/// <summary>Result of verifying the audit chain: valid, how many entries, and the first seq that does not verify.</summary>
public sealed record AuditVerification(bool Valid, long Entries, long? FirstBrokenSeq);
