namespace Moat.Cli;

/// <summary>The exit codes of `moat` commands that talk to a server or a database.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The server answered with an error, or a check (the audit chain) failed.</summary>
    public const int ServerError = 1;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>The server or database could not be reached.</summary>
    public const int CannotConnect = 3;

    /// <summary>Interrupted with Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
