using System.CommandLine;
using Moat.Server;

namespace Moat.Cli.Commands;

/// <summary>`moat migrate`: bring the configured database to the current schema and exit.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var config = HostArguments.Config();
        var command = new Command("migrate", "Apply database migrations for the configured storage provider and exit.") { config };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var args = new List<string>();
            if (result.GetValue(config) is { } file)
            {
                args.Add("--config");
                args.Add(file.FullName);
            }
            args.AddRange(result.UnmatchedTokens);
            await using var app = MoatApplication.Create([.. args]);
            await MoatApplication.PrepareAsync(app, Console.Out, cancellationToken);
            await Console.Out.WriteLineAsync("Database is up to date.");
            return 0;
        });
        return command;
    }
}
