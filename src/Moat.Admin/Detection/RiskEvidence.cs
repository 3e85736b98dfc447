using Moat.Detection.Scoring;

namespace Moat.Admin.Detection;

/// <summary>
/// A risk assessment as stored on a case and in API answers: score, level, the signals that drove it with their
/// evidence, and the linked organisations. Evidence strings hold template skeletons and benchmark ids, never prompts.
/// </summary>
public sealed record RiskEvidence(
    string OrgId,
    double Score,
    double OwnScore,
    string Level,
    string? ClusterId,
    long Requests,
    DateTimeOffset At,
    IReadOnlyList<RiskSignalSummary> TopSignals,
    IReadOnlyList<LinkedAccount> LinkedOrgs)
{
    public const int TopSignalCount = 5;

    public static RiskEvidence From(RiskAssessment assessment) => new(
        assessment.OrgId,
        Math.Round(assessment.Score, 1),
        Math.Round(assessment.OwnScore, 1),
        RiskWire.Level(assessment.Level),
        assessment.ClusterId,
        assessment.Requests,
        assessment.At,
        assessment.TopSignals(TopSignalCount).Select(RiskSignalSummary.From).ToList(),
        assessment.LinkedOrgs.Select(LinkedAccount.From).ToList());
}

/// <summary>A signal's part in a score, as listed: <c>{name, contribution, evidence}</c>.</summary>
public sealed record RiskSignalSummary(string Name, double Contribution, string Evidence)
{
    public static RiskSignalSummary From(RiskSignal signal) => new(signal.Name, signal.Contribution, signal.Evidence);
}

/// <summary>Another organisation scored together with this one: <c>{org_id, reasons, requests, key_ids}</c>.</summary>
public sealed record LinkedAccount(string OrgId, IReadOnlyList<string> Reasons, long Requests, IReadOnlyList<string> KeyIds)
{
    public static LinkedAccount From(LinkedOrg linked) => new(linked.OrgId, linked.Reasons, linked.Requests, linked.KeyIds);
}

/// <summary>Wire names of detection values.</summary>
public static class RiskWire
{
    public static string Level(RiskLevel level) => level switch
    {
        RiskLevel.Low => "low",
        RiskLevel.Elevated => "elevated",
        RiskLevel.High => "high",
        _ => "critical",
    };
}
