namespace Moat.Detection.Linkage;

/// <summary>The kinds of evidence that tie two organisations together.</summary>
[Flags]
public enum LinkKinds
{
    None = 0,
    SharedTemplate = 1,
    SharedIpPrefix = 2,
    SharedUserAgent = 4,
    CorrelatedTiming = 8,
}

/// <summary>
/// Finds organisations operated together ("hydra" clusters) from shared rare features and joins them with
/// union-find. One shared feature is never enough: honest tenants share NATs and SDK user agents, so a link
/// needs a shared template plus one more kind, or IP prefix, user agent and correlated timing together.
/// Features shared by many organisations are generic and stop linking.
/// </summary>
public sealed class TenantLinkage(int maxOrgsPerFeature, int maxPairs = 200_000)
{
    private const double TimingSimilarity = 0.3;
    private const int TimingMinimumMinutes = 20;

    private readonly Dictionary<ulong, List<string>?> _features = [];
    private readonly Dictionary<string, Dictionary<string, LinkKinds>> _pairs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _parent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _members = new(StringComparer.Ordinal);
    private int _pairCount;

    /// <summary>Registers a feature of an organisation; returns true when this joined two clusters.</summary>
    public bool Register(string orgId, LinkKinds kind, ulong featureHash, Func<string, ActivityMinutes?> activity)
    {
        var key = featureHash * 31 + (ulong)kind;
        if (!_features.TryGetValue(key, out var orgs))
        {
            _features[key] = [orgId];
            return false;
        }
        if (orgs is null || orgs.Contains(orgId, StringComparer.Ordinal))
        {
            return false;
        }
        if (orgs.Count >= maxOrgsPerFeature)
        {
            // Generic (a cloud NAT, a popular SDK): it no longer tells tenants apart.
            _features[key] = null;
            return false;
        }
        var joined = false;
        foreach (var other in orgs)
        {
            joined |= AddLink(orgId, other, kind, activity);
        }
        orgs.Add(orgId);
        return joined;
    }

    /// <summary>Re-checks timing for the organisation's partial links (timing correlation only shows over time).</summary>
    public bool Recheck(string orgId, Func<string, ActivityMinutes?> activity)
    {
        if (!_pairs.TryGetValue(orgId, out var links))
        {
            return false;
        }
        var joined = false;
        foreach (var other in links.Keys.ToArray())
        {
            joined |= AddLink(orgId, other, LinkKinds.None, activity);
        }
        return joined;
    }

    private bool AddLink(string a, string b, LinkKinds kind, Func<string, ActivityMinutes?> activity)
    {
        if (!_pairs.TryGetValue(a, out var linksA))
        {
            linksA = new Dictionary<string, LinkKinds>(StringComparer.Ordinal);
            _pairs[a] = linksA;
        }
        if (!linksA.TryGetValue(b, out var kinds))
        {
            if (_pairCount >= maxPairs)
            {
                return false;
            }
            _pairCount++;
        }
        kinds |= kind;
        if ((kinds & LinkKinds.CorrelatedTiming) == 0 && activity(a) is { } ta && activity(b) is { } tb
            && ta.ActiveMinutes >= TimingMinimumMinutes && tb.ActiveMinutes >= TimingMinimumMinutes
            && ta.Similarity(tb) >= TimingSimilarity)
        {
            kinds |= LinkKinds.CorrelatedTiming;
        }
        linksA[b] = kinds;
        if (!_pairs.TryGetValue(b, out var linksB))
        {
            linksB = new Dictionary<string, LinkKinds>(StringComparer.Ordinal);
            _pairs[b] = linksB;
        }
        linksB[a] = kinds;
        return IsStrong(kinds) && Union(a, b);
    }

    /// <summary>
    /// A template plus a shared network or correlated timing, or network, client and timing together. A template and a
    /// user agent alone are how unrelated customers of one framework look (its prompt, its SDK); they do not link.
    /// </summary>
    public static bool IsStrong(LinkKinds kinds)
    {
        if ((kinds & LinkKinds.SharedTemplate) != 0 && (kinds & (LinkKinds.SharedIpPrefix | LinkKinds.CorrelatedTiming)) != 0)
        {
            return true;
        }
        return kinds.HasFlag(LinkKinds.SharedIpPrefix | LinkKinds.SharedUserAgent | LinkKinds.CorrelatedTiming);
    }

    /// <summary>The evidence linking two organisations.</summary>
    public LinkKinds LinksBetween(string a, string b) =>
        _pairs.TryGetValue(a, out var links) && links.TryGetValue(b, out var kinds) ? kinds : LinkKinds.None;

    /// <summary>The cluster's members (sorted), or just the organisation itself.</summary>
    public IReadOnlyList<string> ClusterOf(string orgId)
    {
        var root = Find(orgId);
        return _members.TryGetValue(root, out var members) ? members : [orgId];
    }

    /// <summary>Stable cluster id: derived from the smallest member id; null for a lone organisation.</summary>
    public string? ClusterIdOf(string orgId)
    {
        var members = ClusterOf(orgId);
        return members.Count < 2 ? null : "cluster-" + members[0];
    }

    public IEnumerable<IReadOnlyList<string>> Clusters => _members.Values.Where(m => m.Count > 1);

    private string Find(string orgId)
    {
        var current = orgId;
        while (_parent.TryGetValue(current, out var parent) && parent != current)
        {
            // Path halving keeps later finds short.
            if (_parent.TryGetValue(parent, out var grand))
            {
                _parent[current] = grand;
            }
            current = parent;
        }
        return current;
    }

    private bool Union(string a, string b)
    {
        var ra = Find(a);
        var rb = Find(b);
        if (ra == rb)
        {
            return false;
        }
        var membersA = _members.TryGetValue(ra, out var ma) ? ma : [ra];
        var membersB = _members.TryGetValue(rb, out var mb) ? mb : [rb];
        if (membersA.Count < membersB.Count)
        {
            (ra, rb) = (rb, ra);
            (membersA, membersB) = (membersB, membersA);
        }
        _parent[rb] = ra;
        _parent[ra] = ra;
        var merged = new List<string>(membersA.Count + membersB.Count);
        merged.AddRange(membersA);
        merged.AddRange(membersB);
        merged.Sort(StringComparer.Ordinal);
        _members.Remove(rb);
        _members[ra] = merged;
        return true;
    }
}
