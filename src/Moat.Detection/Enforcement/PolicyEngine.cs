using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Moat.Core.Access;
using Moat.Detection.Persistence;
using Moat.Detection.Scoring;
using Moat.Detection.Signals;

namespace Moat.Detection.Enforcement;

/// <summary>
/// Applies <see cref="EnforcementPolicy"/> as scores change: calls <see cref="IEnforcementActions"/> once per
/// threshold crossing, with the full assessment as evidence. The action implementation records each call in the
/// audit log; this class also logs every automatic action. While an organisation is allow-listed (a reviewer's
/// false-positive verdict) the steps it crosses are suppressed instead, and the suppression is recorded once per crossing.
/// Which steps fired survives restarts through <see cref="Restore"/> and <see cref="StepsOf"/> (the checkpointer).
/// </summary>
public sealed class PolicyEngine(
    RiskScorer scorer,
    IEnforcementActions actions,
    IOrgContextProvider orgs,
    EnforcementOptions options,
    ILogger<PolicyEngine> logger,
    TimeProvider? time = null) : IRiskObserver
{
    private readonly EnforcementPolicy _policy = new(options);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, EnforcementStep> _taken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EnforcementStep> _suppressed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    // Organisations restored without evidence: their score is rebuilt from nothing after the restart, so its fall says
    // nothing about the org and must not re-arm the steps already taken. Held until the score reaches them again.
    private readonly ConcurrentDictionary<string, bool> _held = new(StringComparer.Ordinal);

    /// <summary>Steps already taken for an organisation in its current crossing.</summary>
    public EnforcementStep TakenFor(string orgId) => _taken.GetValueOrDefault(orgId);

    /// <summary>Steps taken, and steps the allow-list suppressed, in the organisation's current crossing (for checkpoints).</summary>
    public (EnforcementStep Taken, EnforcementStep Suppressed) StepsOf(string orgId) =>
        (_taken.GetValueOrDefault(orgId), _suppressed.GetValueOrDefault(orgId));

    /// <summary>
    /// Reads back checkpointed steps on start, before the detection loop runs, so an organisation already warned is not
    /// warned again. Steps restored without evidence are held (not re-armed) until the rebuilt score reaches them again.
    /// </summary>
    public void Restore(IEnumerable<DetectionCheckpoint> checkpoints)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        foreach (var checkpoint in checkpoints)
        {
            if (checkpoint.PolicySteps != EnforcementStep.None)
            {
                _taken[checkpoint.OrgId] = checkpoint.PolicySteps;
                if (checkpoint.Evidence is null)
                {
                    _held[checkpoint.OrgId] = true;
                }
            }
            if (checkpoint.SuppressedSteps != EnforcementStep.None)
            {
                _suppressed[checkpoint.OrgId] = checkpoint.SuppressedSteps;
            }
        }
    }

    public async Task OnRiskChangedAsync(RiskChange change, CancellationToken cancellationToken)
    {
        // The detection loop is the usual caller; ResumeExpiredAsync comes from the checkpointer's timer. One at a time.
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EvaluateAsync(change, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Evaluates, at their current score, the organisations whose steps the allow-list held back and whose entry has
    /// since expired or been removed: a score that stays put (saturated) reports no change, and enforcement must not
    /// wait for one. Called periodically by <see cref="DetectionCheckpointer"/>.
    /// </summary>
    public async Task ResumeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var orgId in _suppressed.Keys)
        {
            if (orgs.Get(orgId)?.AllowListedUntil is { } until && until > now)
            {
                continue;
            }
            if (scorer.GetScore(orgId) is { } score)
            {
                await OnRiskChangedAsync(new RiskChange(orgId, score, score, now), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task EvaluateAsync(RiskChange change, CancellationToken cancellationToken)
    {
        var context = orgs.Get(change.OrgId);
        if (context is { State: OrgState.Suspended or OrgState.Terminated or OrgState.Pending })
        {
            // Nothing left to escalate automatically; a human owns the case from here.
            return;
        }
        var taken = _taken.GetValueOrDefault(change.OrgId);
        var held = HoldsRearm(change.OrgId, change.Score, taken);
        if (context?.AllowListedUntil is { } until && until > _time.GetUtcNow())
        {
            await SuppressAsync(change, taken, held, until, cancellationToken).ConfigureAwait(false);
            return;
        }
        _suppressed.TryRemove(change.OrgId, out _);
        var (fire, rearm) = _policy.Evaluate(change.OrgId, change.Score, taken);
        if (rearm != EnforcementStep.None && !held)
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

    /// <summary>True while a restored org's taken steps are held; releases the hold once the score reaches the lowest of them.</summary>
    private bool HoldsRearm(string orgId, double score, EnforcementStep taken)
    {
        if (!_held.ContainsKey(orgId))
        {
            return false;
        }
        foreach (var step in EnforcementPolicy.Escalation)
        {
            if (taken.HasFlag(step))
            {
                if (score < _policy.ThresholdOf(step, orgId))
                {
                    return true;
                }
                break;
            }
        }
        _held.TryRemove(orgId, out _);
        return false;
    }

    /// <summary>
    /// Allow-listed: the steps this score crosses are not taken. Each is logged and recorded once per crossing (it re-arms
    /// with the same hysteresis as a taken step); the org is still scored, and enforcement resumes when the entry expires.
    /// </summary>
    private async Task SuppressAsync(RiskChange change, EnforcementStep taken, bool held, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var suppressed = _suppressed.GetValueOrDefault(change.OrgId);
        var (fire, rearm) = _policy.Evaluate(change.OrgId, change.Score, taken | suppressed);
        if (rearm != EnforcementStep.None)
        {
            suppressed &= ~rearm;
            if (!held)
            {
                _taken[change.OrgId] = taken & ~rearm;
            }
        }
        _suppressed[change.OrgId] = suppressed | fire;
        if (fire == EnforcementStep.None)
        {
            return;
        }
        var names = EnforcementStepNames.Format(fire);
        PersistenceLog.ActionSuppressed(logger, names, change.OrgId, change.Score, until);
        if (scorer.Get(change.OrgId) is not { } evidence)
        {
            return;
        }
        try
        {
            await actions.SuppressedAsync(change.OrgId, fire, until, evidence, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            PersistenceLog.SuppressionRecordFailed(logger, ex, names, change.OrgId);
        }
    }

    private string ReasonFor(EnforcementStep step, string orgId, RiskAssessment evidence)
    {
        var top = string.Join(", ", evidence.TopSignals(3).Select(s =>
            string.Create(CultureInfo.InvariantCulture, $"{s.Name} (+{s.Contribution:F0})")));
        // The requests that added the most to the volume evidence: a reviewer looks them up in the ledger.
        var requests = evidence.Signals.FirstOrDefault(s => s.Name == ExtractionVolume.Name)?.Details
            .GetValueOrDefault("example_request_ids") is string[] { Length: > 0 } ids
            ? $" Requests, e.g.: {string.Join(", ", ids.TakeLast(3))}."
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"Automatic {step}: distillation risk score {evidence.Score:F0} ≥ {_policy.ThresholdOf(step, orgId):F0}; top signals: {top}.{requests}");
    }
}
