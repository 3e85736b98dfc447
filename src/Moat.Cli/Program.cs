using System.CommandLine;
using Moat.Cli;
using Moat.Cli.Commands;

return await MoatCli.InvokeAsync(args);

namespace Moat.Cli
{
    /// <summary>The `moat` command: one subcommand per job.</summary>
    public static class MoatCli
    {
        public static RootCommand Create(CliOutput? output = null)
        {
            output ??= CliOutput.Terminal();
            return new RootCommand("Moat: an OpenAI-compatible gateway that governs who uses a model, how much, and for what.")
            {
                ServeCommand.Create(output),
                DemoCommand.Create(output),
                FakeUpstreamCommand.Create(),
                MigrateCommand.Create(),
                AdminCommand.Create(output),
                ApplyCommand.Create(output),
                AuditCommand.Create(output),
                SimulateCommand.Create(output),
            };
        }

        /// <summary>Parses and runs a command line; a malformed one prints its errors and exits 2.</summary>
        public static async Task<int> InvokeAsync(string[] args, CliOutput? output = null, CancellationToken cancellationToken = default)
        {
            output ??= CliOutput.Terminal();
            var parsed = Create(output).Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (var error in parsed.Errors)
                {
                    output.Fail(error.Message);
                }
                await output.Error.WriteLineAsync("Run 'moat --help' (or add --help after a command) for usage.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            var invocation = new InvocationConfiguration { Output = output.Out, Error = output.Error };
            return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
    }
}
