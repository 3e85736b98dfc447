using Microsoft.Extensions.Logging;
using Moat.Admin.Enforcement;
using Moat.Admin.Hosting;
using Moat.Core.Access;
using Moat.Storage;
using Moat.Detection.Enforcement;
using Moat.Detection.Persistence;
using Moat.Detection.Scoring;

namespace Moat.Admin.Detection;

/// <summary>
/// The detection policy's actions, carried out by <see cref="EnforcementService"/> as actor <c>moat-detection</c>: each
/// lands in the audit log and, with the assessment as evidence, on the organisation's case. A step that is not legal
/// from the organisation's current state (warn on a throttled org, anything on a suspended one) is skipped and logged.
/// </summary>
public sealed class DetectionEnforcementActions(EnforcementService enforcement, AuditLog audit, ILogger<DetectionEnforcementActions> logger) : IEnforcementActions
{
    public const string Actor = "moat-detection";

    public Task WarnAsync(string orgId, string reason, RiskAssessment evidence, CancellationToken cancellationToken) =>
        ApplyAsync(orgId, OrgAction.Warn, reason, evidence, cancellationToken);

    public Task ThrottleAsync(string orgId, string reason, RiskAssessment evidence, CancellationToken cancellationToken) =>
        ApplyAsync(orgId, OrgAction.Throttle, reason, evidence, cancellationToken);

    public Task SuspendAsync(string orgId, string reason, RiskAssessment evidence, CancellationToken cancellationToken) =>
        ApplyAsync(orgId, OrgAction.Suspend, reason, evidence, cancellationToken);

    public async Task OpenCaseAsync(string orgId, string reason, RiskAssessment evidence, CancellationToken cancellationToken)
    {
        var investigation = await enforcement.OpenCaseAsync(orgId, reason, Actor, RiskEvidence.From(evidence), cancellationToken).ConfigureAwait(false);
        AdminLog.DetectionCaseOpened(logger, investigation.Id, orgId, evidence.Score);
    }

    /// <summary>An allow-listed organisation crossed thresholds: one audit entry per crossing says what was held back.</summary>
    public async Task SuppressedAsync(string orgId, EnforcementStep steps, DateTimeOffset allowListedUntil, RiskAssessment evidence, CancellationToken cancellationToken)
    {
        var summary = RiskEvidence.From(evidence);
        await audit.WriteAsync((write, _) =>
        {
            write.Append(Actor, AuditActions.AllowListSuppressed, orgId, new
            {
                steps = EnforcementStepNames.Format(steps).Split(','),
                score = summary.Score,
                level = summary.Level,
                allow_listed_until = allowListedUntil,
                top_signals = summary.TopSignals,
            });
            return Task.FromResult(true);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task ApplyAsync(string orgId, OrgAction action, string reason, RiskAssessment evidence, CancellationToken cancellationToken)
    {
        var result = await enforcement.ApplyAsync(orgId, action, reason, Actor, RiskEvidence.From(evidence), cancellationToken).ConfigureAwait(false);
        if (result.Outcome != EnforcementOutcome.Applied)
        {
            AdminLog.DetectionActionSkipped(logger, action.ToWire(), orgId, result.From?.ToWire() ?? "missing");
        }
    }
}
