namespace Moat.Detection.Scoring;

/// <summary>Coarse risk band, aligned with the enforcement thresholds (warn, case, suspend).</summary>
public enum RiskLevel
{
    Low,
    Elevated,
    High,
    Critical,
}

/// <summary>One signal's part in a score.</summary>
/// <param name="Value">The signal's strength in [0, 1].</param>
/// <param name="Contribution">Score points attributed to this signal (its share of the score above the baseline).</param>
public sealed record RiskSignal(
    string Name,
    double Value,
    double Contribution,
    string Evidence,
    IReadOnlyDictionary<string, object> Details);

/// <summary>Another organisation scored together with this one, and why.</summary>
public sealed record LinkedOrg(string OrgId, IReadOnlyList<string> Reasons, long Requests, IReadOnlyList<string> KeyIds);

/// <summary>A risk score for an organisation (or a cluster, when <see cref="OrgId"/> is a cluster id) with its evidence.</summary>
/// <param name="Score">0–100: the higher of the organisation's own score and its cluster's.</param>
/// <param name="OwnScore">The organisation's score from its own traffic only.</param>
public sealed record RiskAssessment(
    string OrgId,
    double Score,
    double OwnScore,
    RiskLevel Level,
    string? ClusterId,
    IReadOnlyList<LinkedOrg> LinkedOrgs,
    IReadOnlyList<RiskSignal> Signals,
    long Requests,
    IReadOnlyList<string> KeyIds,
    DateTimeOffset At)
{
    /// <summary>The signals with the largest positive contributions.</summary>
    public IEnumerable<RiskSignal> TopSignals(int count) =>
        Signals.Where(s => s.Contribution > 0).OrderByDescending(s => s.Contribution).Take(count);
}

/// <summary>A point in an organisation's risk history.</summary>
public sealed record RiskSnapshot(string OrgId, DateTimeOffset At, double Score, RiskLevel Level, string? ClusterId, string? TopSignal);

/// <summary>Persists risk snapshots (implemented by storage). Called from the detection loop; must not block.</summary>
public interface IRiskSnapshotSink
{
    void Write(RiskSnapshot snapshot);
}

/// <summary>A bounded ring of an organisation's latest snapshots.</summary>
public sealed class RiskHistory(int capacity)
{
    private readonly RiskSnapshot[] _ring = new RiskSnapshot[capacity];
    private int _next;
    private int _count;

    public void Add(RiskSnapshot snapshot)
    {
        _ring[_next] = snapshot;
        _next = (_next + 1) % _ring.Length;
        _count = Math.Min(_count + 1, _ring.Length);
    }

    public RiskSnapshot? Latest => _count == 0 ? null : _ring[(_next - 1 + _ring.Length) % _ring.Length];

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<RiskSnapshot> ToList()
    {
        var list = new List<RiskSnapshot>(_count);
        for (var i = 0; i < _count; i++)
        {
            list.Add(_ring[(_next - _count + i + _ring.Length) % _ring.Length]);
        }
        return list;
    }
}
