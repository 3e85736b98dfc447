using System.CommandLine;

namespace Moat.Cli.Commands.Admin;

/// <summary>Arguments and options several admin commands share.</summary>
internal static class AdminArguments
{
    public static Argument<string> Id(string name, string description) => new(name) { Description = description };

    /// <summary>--reason is checked by the server (400 when a change needs one), so the answer is the same for every client.</summary>
    public static Option<string?> Reason(string description = "Why; recorded in the audit log.") => new("--reason") { Description = description };

    public static Option<int?> Limit() => new("--limit") { Description = "Most entries to list (server default 50, max 500)." };

    public static Option<string?> Cursor() => new("--cursor") { Description = "Continue a previous list from its next_cursor." };

    public static string? Text(this int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
