namespace Moat.Core.Access;

/// <summary>Lifecycle state of a customer organisation.</summary>
public enum OrgState
{
    Pending,
    Active,
    Warned,
    Throttled,
    Suspended,
    Terminated,
}

/// <summary>Enforcement actions that move an organisation between states.</summary>
public enum OrgAction
{
    Warn,
    Throttle,
    Suspend,
    Reinstate,
    Terminate,
}

/// <summary>The legal transitions of <see cref="OrgState"/> and their wire names.</summary>
public static class OrgStateMachine
{
    /// <summary>Only these states are served by the model API.</summary>
    public static bool IsServed(OrgState state) =>
        state is OrgState.Active or OrgState.Warned or OrgState.Throttled;

    /// <summary>The state an action leads to, or null when the action is illegal from <paramref name="from"/>.</summary>
    public static OrgState? Apply(OrgState from, OrgAction action) => (from, action) switch
    {
        (OrgState.Terminated, _) => null,
        (OrgState.Pending, _) => null,
        (OrgState.Active, OrgAction.Warn) => OrgState.Warned,
        (OrgState.Active or OrgState.Warned, OrgAction.Throttle) => OrgState.Throttled,
        (OrgState.Active or OrgState.Warned or OrgState.Throttled, OrgAction.Suspend) => OrgState.Suspended,
        (OrgState.Warned or OrgState.Throttled or OrgState.Suspended, OrgAction.Reinstate) => OrgState.Active,
        (_, OrgAction.Terminate) => OrgState.Terminated,
        _ => null,
    };

    public static string ToWire(this OrgState state) => state switch
    {
        OrgState.Pending => "pending",
        OrgState.Active => "active",
        OrgState.Warned => "warned",
        OrgState.Throttled => "throttled",
        OrgState.Suspended => "suspended",
        OrgState.Terminated => "terminated",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static string ToWire(this OrgAction action) => action switch
    {
        OrgAction.Warn => "warn",
        OrgAction.Throttle => "throttle",
        OrgAction.Suspend => "suspend",
        OrgAction.Reinstate => "reinstate",
        OrgAction.Terminate => "terminate",
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    public static bool TryParseState(string? text, out OrgState state)
    {
        foreach (var candidate in Enum.GetValues<OrgState>())
        {
            if (string.Equals(candidate.ToWire(), text, StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }
        state = default;
        return false;
    }

    public static bool TryParseAction(string? text, out OrgAction action)
    {
        foreach (var candidate in Enum.GetValues<OrgAction>())
        {
            if (string.Equals(candidate.ToWire(), text, StringComparison.OrdinalIgnoreCase))
            {
                action = candidate;
                return true;
            }
        }
        action = default;
        return false;
    }
}
