using System.Text.Json;

namespace Moat.Cli.Tests.Infrastructure;

/// <summary>One in-process run of `moat`: its exit code and what it wrote.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    /// <summary>Runs the real command tree with output captured (plain, wide, non-interactive).</summary>
    public static async Task<CliRun> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await MoatCli.InvokeAsync(args, CliOutput.Plain(output, error));
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Standard output parsed as JSON (for --json runs).</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"exit {ExitCode}\n--- out ---\n{Out}\n--- error ---\n{Error}";
}
