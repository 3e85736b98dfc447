using System.CommandLine;
using Moat.Cli.Admin;

namespace Moat.Cli.Commands.Admin;

/// <summary>`moat admin orgs list|show|set-tier|set-limits|warn|throttle|suspend|reinstate|terminate`.</summary>
internal static class OrgsCommand
{
    private static readonly (string Name, string Description)[] Actions =
    [
        ("warn", "Warn an organisation (it keeps its access)."),
        ("throttle", "Throttle an organisation to its tier's reduced limits."),
        ("suspend", "Suspend an organisation: its keys are refused at once; opens a case."),
        ("reinstate", "Reinstate a warned, throttled or suspended organisation."),
        ("terminate", "Terminate an organisation for good."),
    ];

    public static Command Create(AdminSession session)
    {
        var command = new Command("orgs", "Organisations: state, tier, limits.") { List(session), Show(session), SetTier(session), SetLimits(session) };
        foreach (var (name, description) in Actions)
        {
            command.Subcommands.Add(StateAction(session, name, description));
        }
        return command;
    }

    private static string OrgPath(ParseResult result, Argument<string> org, string? rest = null) =>
        $"admin/v1/organizations/{AdminApiClient.Segment(result.GetValue(org)!)}{rest}";

    private static Command List(AdminSession session)
    {
        var state = new Option<string?>("--state") { Description = "Only organisations in this state (active, warned, throttled, suspended, terminated)." };
        var limit = AdminArguments.Limit();
        var cursor = AdminArguments.Cursor();
        var command = new Command("list", "List organisations.") { state, limit, cursor };
        session.SetAction(command,
            (call, result, ct) => call.Client.GetAsync("admin/v1/organizations", ct,
                ("state", result.GetValue(state)), ("limit", result.GetValue(limit).Text()), ("cursor", result.GetValue(cursor))),
            OrganizationRenderer.List);
        return command;
    }

    private static Command Show(AdminSession session)
    {
        var org = AdminArguments.Id("org", "The organisation id.");
        var command = new Command("show", "Show an organisation: state, limits, keys and the last 24 hours of usage.") { org };
        session.SetAction(command, (call, result, ct) => call.Client.GetAsync(OrgPath(result, org), ct), OrganizationRenderer.Show);
        return command;
    }

    private static Command SetTier(AdminSession session)
    {
        var org = AdminArguments.Id("org", "The organisation id.");
        var tier = new Option<string>("--tier") { Description = "The new tier.", Required = true };
        var reason = AdminArguments.Reason();
        var command = new Command("set-tier", "Move an organisation to another tier.") { org, tier, reason };
        session.SetAction(command,
            (call, result, ct) => call.Client.PutAsync(OrgPath(result, org, "/tier"), new { Tier = result.GetValue(tier), Reason = result.GetValue(reason) }, ct),
            OrganizationRenderer.Changed);
        return command;
    }

    private static Command SetLimits(AdminSession session)
    {
        var org = AdminArguments.Id("org", "The organisation id.");
        var rpm = LimitOption("--rpm", "Requests per minute override");
        var tpm = LimitOption("--tpm", "Tokens per minute override");
        var tpd = LimitOption("--tpd", "Tokens per day override");
        var reason = AdminArguments.Reason();
        var command = new Command("set-limits", "Override an organisation's limits (unset ones keep their current value).") { org, rpm, tpm, tpd, reason };
        session.SetAction(command,
            (call, result, ct) => call.Client.PutAsync(OrgPath(result, org, "/limits"), new
            {
                RequestsPerMinute = LimitValue(result.GetValue(rpm)),
                TokensPerMinute = LimitValue(result.GetValue(tpm)),
                TokensPerDay = LimitValue(result.GetValue(tpd)),
                Reason = result.GetValue(reason),
            }, ct),
            OrganizationRenderer.Changed);
        return command;
    }

    /// <summary>A positive integer, "unlimited" or "tier" (back to the tier's limit); anything else is a usage error before any request is sent.</summary>
    private static Option<string?> LimitOption(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description + ": a positive integer, 'unlimited', or 'tier' (the tier's limit)." };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && LimitValue(value) is null)
            {
                result.AddError($"{name} must be a positive integer, 'unlimited' or 'tier' (got '{value}').");
            }
        });
        return option;
    }

    private static object? LimitValue(string? value) =>
        value is null ? null
        : string.Equals(value, "unlimited", StringComparison.OrdinalIgnoreCase) ? "unlimited"
        : string.Equals(value, "tier", StringComparison.OrdinalIgnoreCase) ? "tier"
        : long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number > 0 ? number
        : null;

    private static Command StateAction(AdminSession session, string action, string description)
    {
        var org = AdminArguments.Id("org", "The organisation id.");
        var reason = AdminArguments.Reason("Why (required); recorded in the audit log and the case.");
        var command = new Command(action, description) { org, reason };
        session.SetAction(command,
            (call, result, ct) => call.Client.PostAsync(OrgPath(result, org, "/" + action), new { Reason = result.GetValue(reason) }, ct),
            OrganizationRenderer.Changed);
        return command;
    }
}
