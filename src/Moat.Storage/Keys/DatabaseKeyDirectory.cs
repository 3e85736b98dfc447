using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moat.Core.Access;
using Moat.Core.Quotas;
using Moat.Storage.Entities;

namespace Moat.Storage;

/// <summary>
/// The request path's view of keys: an immutable snapshot read without locks and replaced as a whole when the
/// database changes. Revoked and expired keys stay in it, so the gateway can tell an invalid key by time alone.
/// </summary>
public sealed partial class DatabaseKeyDirectory : IKeyDirectory, IDisposable
{
    private readonly IDbContextFactory<MoatDbContext> _contexts;
    private readonly IOptionsMonitor<TierCatalogOptions> _tiers;
    private readonly ILogger<DatabaseKeyDirectory> _logger;
    private readonly IDisposable? _tierSubscription;

    // Refreshes are serialised so a slow full reload cannot overwrite a newer single-org reload.
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private Snapshot _snapshot = Snapshot.Empty;

    public DatabaseKeyDirectory(
        IDbContextFactory<MoatDbContext> contexts,
        IOptionsMonitor<TierCatalogOptions> tiers,
        ILogger<DatabaseKeyDirectory> logger)
    {
        _contexts = contexts;
        _tiers = tiers;
        _logger = logger;
        // Tier limits are part of every entry, so a configuration reload rebuilds them.
        _tierSubscription = tiers.OnChange(changed => { _ = RefreshAfterTierChangeAsync(); });
    }

    /// <summary>Number of keys in the current snapshot.</summary>
    public int Count => Volatile.Read(ref _snapshot).ByHash.Count;

    public KeyEntry? FindByHash(string keyHash) =>
        Volatile.Read(ref _snapshot).ByHash.GetValueOrDefault(keyHash);

    public async Task RefreshOrgAsync(string orgId, CancellationToken cancellationToken = default)
    {
        await _refreshLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<OrganizationEntity> rows;
            await using (var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
            {
                rows = await db.Organizations.AsNoTracking()
                    .Include(o => o.Keys)
                    .Where(o => o.Id == orgId)
                    .ToListAsync(cancellationToken)
                    .ConfigureAwait(false);
            }
            var current = Volatile.Read(ref _snapshot);
            var byHash = new Dictionary<string, KeyEntry>(current.ByHash, StringComparer.Ordinal);
            var byOrg = new Dictionary<string, string[]>(current.HashesByOrg, StringComparer.Ordinal);
            if (byOrg.Remove(orgId, out var previous))
            {
                foreach (var hash in previous)
                {
                    byHash.Remove(hash);
                }
            }
            AddEntries(rows, byHash, byOrg);
            Volatile.Write(ref _snapshot, new Snapshot(byHash, byOrg));
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    public async Task RefreshAllAsync(CancellationToken cancellationToken = default)
    {
        await _refreshLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<OrganizationEntity> rows;
            await using (var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
            {
                rows = await db.Organizations.AsNoTracking()
                    .Include(o => o.Keys)
                    .ToListAsync(cancellationToken)
                    .ConfigureAwait(false);
            }
            var byHash = new Dictionary<string, KeyEntry>(StringComparer.Ordinal);
            var byOrg = new Dictionary<string, string[]>(StringComparer.Ordinal);
            AddEntries(rows, byHash, byOrg);
            Volatile.Write(ref _snapshot, new Snapshot(byHash, byOrg));
            LogRefreshedAll(_logger, rows.Count, byHash.Count);
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    public void Dispose()
    {
        _tierSubscription?.Dispose();
        _refreshLock.Dispose();
    }

    private void AddEntries(List<OrganizationEntity> organizations, Dictionary<string, KeyEntry> byHash, Dictionary<string, string[]> byOrg)
    {
        var catalog = _tiers.CurrentValue;
        foreach (var organization in organizations)
        {
            var tier = catalog.Find(organization.Tier);
            if (tier is null)
            {
                // An unknown tier (renamed in configuration) keeps the org served at the default limits rather than locking it out.
                LogUnknownTier(_logger, organization.Id, organization.Tier);
                tier = new TierOptions();
            }
            var throttled = organization.State == OrgState.Throttled;
            var orgLimits = new QuotaLimits(organization.RequestsPerMinute, organization.TokensPerMinute, organization.TokensPerDay)
                .Over(tier.Limits);
            if (throttled)
            {
                orgLimits = orgLimits.Scale(catalog.ThrottleFactor);
            }

            var hashes = new string[organization.Keys.Count];
            for (var i = 0; i < organization.Keys.Count; i++)
            {
                var key = organization.Keys[i];
                QuotaLimits? keyLimits = new QuotaLimits(key.RequestsPerMinute, key.TokensPerMinute, key.TokensPerDay);
                if (keyLimits.IsEmpty)
                {
                    keyLimits = null;
                }
                else if (throttled)
                {
                    keyLimits = keyLimits.Scale(catalog.ThrottleFactor);
                }
                byHash[key.KeyHash] = new KeyEntry(
                    key.Id,
                    key.KeyHash,
                    organization.Id,
                    organization.Name,
                    organization.State,
                    organization.Tier,
                    orgLimits,
                    keyLimits,
                    tier.DefaultMaxTokens,
                    tier,
                    key.RevokedAt,
                    key.ExpiresAt);
                hashes[i] = key.KeyHash;
            }
            byOrg[organization.Id] = hashes;
        }
    }

    private async Task RefreshAfterTierChangeAsync()
    {
        try
        {
            await RefreshAllAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogTierRefreshFailed(_logger, exception);
        }
    }

    private sealed record Snapshot(Dictionary<string, KeyEntry> ByHash, Dictionary<string, string[]> HashesByOrg)
    {
        public static readonly Snapshot Empty = new(
            new Dictionary<string, KeyEntry>(StringComparer.Ordinal),
            new Dictionary<string, string[]>(StringComparer.Ordinal));
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Key directory loaded: {Organizations} organisations, {Keys} keys")]
    private static partial void LogRefreshedAll(ILogger logger, int organizations, int keys);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Organisation {OrgId} has tier '{Tier}', which is not configured; using default limits")]
    private static partial void LogUnknownTier(ILogger logger, string orgId, string tier);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Reloading the key directory after a tier configuration change failed")]
    private static partial void LogTierRefreshFailed(ILogger logger, Exception exception);
}
