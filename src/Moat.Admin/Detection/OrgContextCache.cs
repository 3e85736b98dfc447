using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moat.Admin.Hosting;
using Moat.Core.Changes;
using Moat.Detection.Enforcement;
using Moat.Storage;

namespace Moat.Admin.Detection;

/// <summary>
/// What detection needs to know of each organisation (state, use case, benchmark and detection allow-listing), cached from the organisations
/// table and refreshed on every <see cref="OrgChanged"/>. Read on the detection loop and by risk queries, never on the
/// request path, so a miss reads the database synchronously.
/// </summary>
public sealed class OrgContextCache(IDbContextFactory<MoatDbContext> contexts, IChangeFeed changes, ILogger<OrgContextCache> logger)
    : IOrgContextProvider, IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<string, OrgContext?> _orgs = new(StringComparer.Ordinal);
    private IDisposable? _subscription;

    public OrgContext? Get(string orgId)
    {
        if (_orgs.TryGetValue(orgId, out var cached))
        {
            return cached;
        }
        using var db = contexts.CreateDbContext();
        var context = Project(db, orgId).FirstOrDefault();
        // Unknown ids are cached too: creating the organisation publishes a change that replaces the entry.
        return _orgs.GetOrAdd(orgId, context);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = changes.Subscribe(RefreshAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _subscription = null;
    }

    private async Task RefreshAsync(OrgChanged change, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            _orgs[change.OrgId] = await Project(db, change.OrgId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Forget the entry so the next read goes to the database rather than trusting a stale state.
            _orgs.TryRemove(change.OrgId, out _);
            AdminLog.OrgContextRefreshFailed(logger, exception, change.OrgId);
        }
    }

    private IQueryable<OrgContext> Project(MoatDbContext db, string orgId) =>
        db.Organizations.AsNoTracking().Where(o => o.Id == orgId).Select(o => new OrgContext(
            o.Id,
            o.State,
            o.UseCaseCategory,
            o.AllowBenchmarks,
            // The entry's end, expired or not: the policy engine compares it with its clock.
            db.OrgAllowList.Where(a => a.OrgId == o.Id).Select(a => (DateTimeOffset?)a.ExpiresAt).FirstOrDefault()));
}
