using System.CommandLine;
using Moat.Cli.Admin;

namespace Moat.Cli.Commands.Admin;

/// <summary>`moat admin risk list|show`: the detection team's scores and their evidence.</summary>
internal static class RiskCommand
{
    public static Command Create(AdminSession session) => new("risk", "Risk scores from abuse detection.") { List(session), Show(session) };

    private static Command List(AdminSession session)
    {
        var command = new Command("list", "The risk leaderboard, highest first.");
        session.SetAction(command, (call, result, ct) => call.Client.GetAsync("admin/v1/risk", ct), RiskRenderer.List);
        return command;
    }

    private static Command Show(AdminSession session)
    {
        var org = AdminArguments.Id("org", "The organisation id.");
        var command = new Command("show", "An organisation's score, every signal with its evidence, linked accounts and history.") { org };
        session.SetAction(command,
            (call, result, ct) => call.Client.GetAsync($"admin/v1/risk/{AdminApiClient.Segment(result.GetValue(org)!)}", ct),
            RiskRenderer.Show);
        return command;
    }
}
