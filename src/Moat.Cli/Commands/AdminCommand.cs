using System.CommandLine;
using Moat.Cli.Admin;
using Moat.Cli.Commands.Admin;

namespace Moat.Cli.Commands;

/// <summary>`moat admin …`: every admin action of a running server, as tables or --json.</summary>
internal static class AdminCommand
{
    public static Command Create(CliOutput output)
    {
        var session = new AdminSession(output);
        var command = new Command("admin", "Administer a running Moat server over its admin API (needs --token or $MOAT_ADMIN_TOKEN).")
        {
            ApplicationsCommand.Create(session),
            OrgsCommand.Create(session),
            KeysCommand.Create(session),
            UsageCommand.Create(session),
            CasesCommand.Create(session),
            AllowListCommand.Create(session),
            AdminAuditCommand.Create(session),
            ProvenanceCommand.Create(session),
            RiskCommand.Create(session),
        };
        session.AddTo(command);
        return command;
    }
}
