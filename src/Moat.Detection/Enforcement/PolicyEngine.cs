using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Moat.Core.Access;
using Moat.Detection.Scoring;

namespace Moat.Detection.Enforcement;

/// <summary>
/// Applies <see cref="EnforcementPolicy"/> as scores change: calls <see cref="IEnforcementActions"/> once per
/// threshold crossing, with the full assessment as evidence. The action implementation records each call in the
/// audit log; this class also logs every automatic action.
/// </summary>
public sealed class PolicyEngine(
    RiskScorer scorer,
    IEnforcementActions actions,
    IOrgContextProvider orgs,
    EnforcementOptions options,
    ILogger<PolicyEngine> logger) : IRiskObserver
{
    private readonly EnforcementPolicy _policy = new(options);
    private readonly ConcurrentDictionary<string, EnforcementStep> _taken = new(StringComparer.Ordinal);

    /// <summary>Steps already taken for an organisation in its current crossing.</summary>
    public EnforcementStep TakenFor(string orgId) => _taken.GetValueOrDefault(orgId);

    public async Task OnRiskChangedAsync(RiskChange change, CancellationToken cancellationToken)
    {
        var context = orgs.Get(change.OrgId);
        if (context is { State: OrgState.Suspended or OrgState.Terminated or OrgState.Pending })
        {
            // Nothing left to escalate automatically; a human owns the case from here.
            return;
        }
        var taken = _taken.GetValueOrDefault(change.OrgId);
        var (fire, rearm) = _policy.Evaluate(change.OrgId, change.Score, taken);
        if (rearm != EnforcementStep.None)
        {
            taken &= ~rearm;
            _taken[change.OrgId] = taken;
        }
        if (fire == EnforcementStep.None)
        {
            return;
        }
        var evidence = scorer.Get(change.OrgId);
        if (evidence is null)
        {
            return;
        }
        foreach (var step in EnforcementPolicy.Escalation)
        {
            if (!fire.HasFlag(step))
            {
                continue;
            }
            var reason = ReasonFor(step, change.OrgId, evidence);
            try
            {
                await (step switch
                {
                    EnforcementStep.Warn => actions.WarnAsync(change.OrgId, reason, evidence, cancellationToken),
                    EnforcementStep.Throttle => actions.ThrottleAsync(change.OrgId, reason, evidence, cancellationToken),
                    EnforcementStep.OpenCase => actions.OpenCaseAsync(change.OrgId, reason, evidence, cancellationToken),
                    _ => actions.SuspendAsync(change.OrgId, reason, evidence, cancellationToken),
                }).ConfigureAwait(false);
                taken |= step;
                _taken[change.OrgId] = taken;
                DetectionLog.ActionTaken(logger, step.ToString(), change.OrgId, evidence.Score, reason);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                DetectionLog.ActionFailed(logger, ex, step.ToString(), change.OrgId);
                return;
            }
        }
    }

    private string ReasonFor(EnforcementStep step, string orgId, RiskAssessment evidence)
    {
        var top = string.Join(", ", evidence.TopSignals(3).Select(s =>
            string.Create(CultureInfo.InvariantCulture, $"{s.Name} (+{s.Contribution:F0})")));
        return string.Create(CultureInfo.InvariantCulture,
            $"Automatic {step}: distillation risk score {evidence.Score:F0} ≥ {_policy.ThresholdOf(step, orgId):F0}; top signals: {top}.");
    }
}
