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

    /// <summary>
    /// The organisation crossed <paramref name="steps"/> while allow-listed (until <paramref name="allowListedUntil"/>), so
    /// they were not taken. Called once per crossing; by default nothing is recorded beyond the policy engine's log.
    /// </summary>
    Task SuppressedAsync(string orgId, EnforcementStep steps, DateTimeOffset allowListedUntil, RiskAssessment evidence, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
