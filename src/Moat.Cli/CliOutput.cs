using Spectre.Console;

namespace Moat.Cli;

/// <summary>Where a command writes: human output, errors, and whether it may ask the user a question.</summary>
public sealed class CliOutput
{
    public CliOutput(TextWriter output, TextWriter error, bool interactive, IAnsiConsole? console = null)
    {
        Out = output;
        Error = error;
        IsInteractive = interactive;
        Console = console ?? AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
    }

    /// <summary>Plain text and verbatim JSON go here.</summary>
    public TextWriter Out { get; }

    /// <summary>One-line errors go here.</summary>
    public TextWriter Error { get; }

    /// <summary>Tables, panels and prompts; writes to <see cref="Out"/>.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>True when a human can answer a prompt (standard input is a terminal).</summary>
    public bool IsInteractive { get; }

    /// <summary>True when standard output is a terminal, so a progress bar may redraw it (never when piped or captured).</summary>
    public bool IsTerminal { get; init; }

    /// <summary>The process console.</summary>
    public static CliOutput Terminal()
    {
        var console = AnsiConsole.Console;
        if (System.Console.IsOutputRedirected)
        {
            // Piped into less, grep or a file: keep rows on one line (Spectre would assume 80 columns and wrap ids).
            console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0 ? columns : 200;
        }
        return new(System.Console.Out, System.Console.Error, !System.Console.IsInputRedirected, console) { IsTerminal = !System.Console.IsOutputRedirected };
    }

    /// <summary>Plain, wide, non-interactive output into the given writers (for tests and pipes).</summary>
    public static CliOutput Plain(TextWriter output, TextWriter error)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 240;
        return new CliOutput(output, error, interactive: false, console);
    }

    /// <summary>Writes the one-line error every failing command ends with.</summary>
    /// <remarks>The message may quote a server's answer (which may quote an applicant): control characters are escaped.</remarks>
    public void Fail(string message) => Error.WriteLine("error: " + Moat.Core.Text.UntrustedText.ForDisplay(message));
}
