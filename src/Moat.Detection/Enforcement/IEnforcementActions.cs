using Moat.Detection.Scoring;

namespace Moat.Detection.Enforcement;

/// <summary>
/// The actions the policy engine may take (implemented by the admin team's EnforcementService, which writes org
/// state, cases and the audit log). Each is called once per threshold crossing, with the assessment as evidence.
/// </summary>
public interface IEnforcementActions
{
    Task WarnAsync(string orgId, string reason, RiskAssessment evidence, CancellationToken cancellationToken);

    Task ThrottleAsync(string orgId, string reason, RiskAssessment evidence, CancellationToken cancellationToken);

    Task OpenCaseAsync(string orgId, string reason, RiskAssessment evidence, CancellationToken cancellationToken);

    Task SuspendAsync(string orgId, string reason, RiskAssessment evidence, CancellationToken cancellationToken);
}
