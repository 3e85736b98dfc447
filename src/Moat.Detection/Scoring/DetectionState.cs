using Moat.Detection.Linkage;

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
    }

    internal object Gate { get; } = new();
    internal DetectionOptions Options { get; }
    internal IReadOnlyList<(string Model, DateTimeOffset ReleasedAt)> Releases { get; }
    internal Dictionary<string, TenantState> Orgs { get; } = new(StringComparer.Ordinal);
    internal TenantLinkage Linkage { get; }

    internal TenantState GetOrAdd(string orgId)
    {
        if (!Orgs.TryGetValue(orgId, out var state))
        {
            state = new TenantState(orgId, Options, Releases);
            Orgs[orgId] = state;
        }
        return state;
    }

    internal ActivityMinutes? ActivityOf(string orgId) => Orgs.TryGetValue(orgId, out var s) ? s.Activity : null;
}
