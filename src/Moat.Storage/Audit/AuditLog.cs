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

    private const int MaxConcurrencyRetries = 5;

    // Serialises appends within this process; the database lock does the same across processes.
    private readonly SemaphoreSlim _appendLock = new(1, 1);

    /// <summary>Appends one entry on its own; the payload (any object, serialised snake_case) may be null.</summary>
    public Task<AuditEntryEntity> AppendAsync(
        string actor,
        string action,
        string subject,
        object? payload,
        CancellationToken cancellationToken = default) =>
        WriteAsync((write, _) => Task.FromResult(write.Append(actor, action, subject, payload)), cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one database transaction and appends the entries it records (through
    /// <see cref="AuditedWrite.Append"/>) to the chain in that same transaction: the change and its audit entries commit
    /// together or not at all. Appends are serialised (in process, and across processes by the database), so
    /// <paramref name="work"/> should be a few reads and writes; it may run again when a concurrent writer changed a
    /// row it loaded (version token).
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<AuditedWrite, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _appendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
                // On SQLite this is BEGIN IMMEDIATE: the write lock is taken before anything is read.
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                if (db.Database.IsNpgsql())
                {
                    await db.Database
                        .ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({PostgresAppendLockKey})", cancellationToken)
                        .ConfigureAwait(false);
                }
                var write = new AuditedWrite(db);
                var result = await work(write, cancellationToken).ConfigureAwait(false);
                await ChainAsync(db, write.Pending, cancellationToken).ConfigureAwait(false);
                try
                {
                    await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (DbUpdateConcurrencyException) when (attempt < MaxConcurrencyRetries)
                {
                    continue; // the transaction rolls back on dispose; run the work again on fresh rows
                }
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
        finally
        {
            _appendLock.Release();
        }
    }

    // Under the append lock: number and hash the recorded entries after the current tail, in the order recorded.
    private async Task ChainAsync(MoatDbContext db, List<AuditEntryEntity> pending, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }
        var tail = await db.AuditEntries.AsNoTracking()
            .OrderByDescending(e => e.Seq)
            .Select(e => new { e.Seq, e.Hash })
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        var seq = tail?.Seq ?? 0;
        var prevHash = tail?.Hash ?? AuditCanonicalJson.GenesisHash;
        var at = AuditCanonicalJson.TruncateToMilliseconds(time.GetUtcNow());
        foreach (var entry in pending)
        {
            entry.Seq = ++seq;
            entry.At = at;
            entry.PrevHash = prevHash;
            entry.Hash = AuditCanonicalJson.Hash(entry.Seq, at, entry.Actor, entry.Action, entry.Subject, entry.PayloadJson, prevHash);
            prevHash = entry.Hash;
            db.AuditEntries.Add(entry);
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

/// <summary>
/// One transaction of <see cref="AuditLog.WriteAsync{T}"/>: the context to read and change rows through (do not save
/// or commit it; the audit log does, after chaining the entries), and the audit entries to record with the change.
/// </summary>
public sealed class AuditedWrite
{
    internal AuditedWrite(MoatDbContext db) => Db = db;

    public MoatDbContext Db { get; }

    internal List<AuditEntryEntity> Pending { get; } = [];

    /// <summary>Records an entry; its seq, time and hashes are set when the transaction commits.</summary>
    public AuditEntryEntity Append(string actor, string action, string subject, object? payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentNullException.ThrowIfNull(subject);
        var entry = new AuditEntryEntity
        {
            Actor = actor,
            Action = action,
            Subject = subject,
            PayloadJson = AuditCanonicalJson.Payload(payload),
            PrevHash = "",
            Hash = "",
        };
        Pending.Add(entry);
        return entry;
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
