using Moat.Admin.Detection;
using Moat.Detection.Scoring;

namespace Moat.Admin.Api;

/// <summary>One row of <c>GET /admin/v1/risk</c>; <c>allow_listed_until</c> is set while a false-positive verdict holds automatic enforcement off.</summary>
public sealed record RiskListItem(
    string OrgId,
    string? Name,
    double Score,
    string Level,
    string? State,
    string? OpenCaseId,
    string? ClusterId,
    IReadOnlyList<RiskSignalSummary> TopSignals,
    DateTimeOffset? AllowListedUntil);

/// <summary>A signal with its strength, contribution, evidence and raw details (<c>GET /admin/v1/risk/{org_id}</c>).</summary>
public sealed record RiskSignalDetail(string Name, double Value, double Contribution, string Evidence, IReadOnlyDictionary<string, object> Details)
{
    public static RiskSignalDetail From(RiskSignal signal) => new(signal.Name, signal.Value, signal.Contribution, signal.Evidence, signal.Details);
}

/// <summary>A point of an organisation's risk history.</summary>
public sealed record RiskHistoryPoint(DateTimeOffset At, double Score, string Level, string? TopSignal)
{
    public static RiskHistoryPoint From(RiskSnapshot snapshot) => new(snapshot.At, snapshot.Score, RiskWire.Level(snapshot.Level), snapshot.TopSignal);
}

/// <summary><c>GET /admin/v1/risk/{org_id}</c>: the score, every signal with evidence, history and linked accounts.</summary>
public sealed record RiskDetailResponse(
    string OrgId,
    double Score,
    double OwnScore,
    double PeakScore,
    string Level,
    string State,
    string? OpenCaseId,
    string? ClusterId,
    long Requests,
    DateTimeOffset? At,
    IReadOnlyList<RiskSignalDetail> Signals,
    IReadOnlyList<RiskHistoryPoint> History,
    IReadOnlyList<LinkedAccount> LinkedAccounts,
    DateTimeOffset? AllowListedUntil);
