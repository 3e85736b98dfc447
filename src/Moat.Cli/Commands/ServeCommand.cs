using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Moat.Server;

namespace Moat.Cli.Commands;

/// <summary>`moat serve`: the gateway on the embedded default (SQLite) or whatever the configuration names.</summary>
internal static class ServeCommand
{
    public static Command Create(CliOutput output)
    {
        var urls = HostArguments.Urls("http://127.0.0.1:8080");
        var config = HostArguments.Config();
        var command = new Command("serve", "Run the gateway (model API, admin and portal APIs, console).") { urls, config };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) => HostArguments.RefusingBadConfigurationAsync(output, async () =>
        {
            await using var app = MoatApplication.Create(HostArguments.For(result, urls, config));
            await MoatApplication.PrepareAsync(app, output.Out, cancellationToken);
            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Success;
        }));
        return command;
    }
}
