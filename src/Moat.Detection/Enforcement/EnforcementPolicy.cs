namespace Moat.Detection.Enforcement;

/// <summary>The automatic steps, in escalating order.</summary>
[Flags]
public enum EnforcementStep
{
    None = 0,
    Warn = 1,
    Throttle = 2,
    OpenCase = 4,
    Suspend = 8,
}

/// <summary>
/// Decides which steps a score crosses for one organisation, given the steps already taken. A step fires once per
/// crossing and re-arms only after the score falls <see cref="EnforcementOptions.RearmMargin"/> below its threshold.
/// </summary>
public sealed class EnforcementPolicy(EnforcementOptions options)
{
    public static readonly EnforcementStep[] Escalation =
        [EnforcementStep.Warn, EnforcementStep.Throttle, EnforcementStep.OpenCase, EnforcementStep.Suspend];

    public double ThresholdOf(EnforcementStep step, string orgId)
    {
        var offset = options.OverrideFor(orgId)?.ThresholdOffset ?? 0;
        var baseline = step switch
        {
            EnforcementStep.Warn => options.WarnAt,
            EnforcementStep.Throttle => options.ThrottleAt,
            EnforcementStep.OpenCase => options.CaseAt,
            EnforcementStep.Suspend => options.SuspendAt,
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        };
        return baseline + offset;
    }

    /// <summary>Steps to take now (<c>Fire</c>) and steps to re-arm (<c>Rearm</c>) for a score, given <paramref name="taken"/>.</summary>
    public (EnforcementStep Fire, EnforcementStep Rearm) Evaluate(string orgId, double score, EnforcementStep taken)
    {
        if (options.OverrideFor(orgId)?.Disabled == true)
        {
            return (EnforcementStep.None, EnforcementStep.None);
        }
        var fire = EnforcementStep.None;
        var rearm = EnforcementStep.None;
        foreach (var step in Escalation)
        {
            if (step == EnforcementStep.Suspend && !options.AutoSuspend)
            {
                continue;
            }
            var threshold = ThresholdOf(step, orgId);
            if (score >= threshold && !taken.HasFlag(step))
            {
                fire |= step;
            }
            else if (taken.HasFlag(step) && score < threshold - options.RearmMargin)
            {
                rearm |= step;
            }
        }
        return (fire, rearm);
    }
}
