using System.CommandLine;
using Moat.Cli.Commands;

// The `moat` command: one subcommand per job.
var root = new RootCommand("Moat: an OpenAI-compatible gateway that governs who uses a model, how much, and for what.")
{
    ServeCommand.Create(),
    DemoCommand.Create(),
    FakeUpstreamCommand.Create(),
    MigrateCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
