using System.CommandLine;

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
}
