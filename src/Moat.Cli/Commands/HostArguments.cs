using System.CommandLine;
using Microsoft.Extensions.Options;

namespace Moat.Cli.Commands;

/// <summary>Options every hosting command shares, and their translation into ASP.NET host arguments.</summary>
internal static class HostArguments
{
    public static Option<string> Urls(string fallback) => new("--urls")
    {
        Description = "Addresses to listen on, e.g. http://127.0.0.1:8080",
        DefaultValueFactory = _ => fallback,
    };

    public static Option<FileInfo?> Config() => new("--config")
    {
        Description = "A JSON settings file layered over appsettings.json (environment variables Moat__… still win).",
    };

    /// <summary>--urls, --config and any unmatched "--Section:Key=value" tokens, in the host's syntax.</summary>
    public static string[] For(ParseResult result, Option<string> urls, Option<FileInfo?> config)
    {
        var args = new List<string> { "--urls", result.GetValue(urls)! };
        if (result.GetValue(config) is { } file)
        {
            args.Add("--config");
            args.Add(file.FullName);
        }
        args.AddRange(result.UnmatchedTokens);
        return [.. args];
    }

    /// <summary>
    /// Runs a hosting command; a configuration the host refuses at start-up (a setting that fails validation, a missing
    /// --config file) is one clear line on stderr and exit code 2, not a stack trace.
    /// </summary>
    public static async Task<int> RefusingBadConfigurationAsync(CliOutput output, Func<Task<int>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OptionsValidationException or FileNotFoundException)
        {
            output.Fail(e.Message);
            return ExitCodes.Usage;
        }
    }
}
