using System.CommandLine;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moat.Cli.Admin;
using Moat.Server;
using Moat.Storage;

namespace Moat.Cli.Commands;

/// <summary>`moat audit verify`: checks the audit chain straight from the database, with no server running.</summary>
internal static class AuditCommand
{
    public static Command Create(CliOutput output) => new("audit", "Offline checks of the audit log.") { Verify(output) };

    private static Command Verify(CliOutput output)
    {
        var config = HostArguments.Config();
        var command = new Command("verify", "Verify the hash chain in the configured database (same settings as `moat serve`); exit 1 when broken.")
        {
            config,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var args = new List<string> { "--Logging:LogLevel:Default=Warning" };
            if (result.GetValue(config) is { } file)
            {
                args.Add("--config");
                args.Add(file.FullName);
            }
            args.AddRange(result.UnmatchedTokens);
            try
            {
                // The server's own composition: same configuration sources, same storage registration; never started.
                await using var app = MoatApplication.Create([.. args]);
                var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
                if (storage.IsSqlite && MissingSqliteFile(storage) is { } path)
                {
                    output.Fail($"no database at {path} (set --Moat:DataDir or --config)");
                    return ExitCodes.CannotConnect;
                }
                var verification = await app.Services.GetRequiredService<AuditLog>().VerifyAsync(cancellationToken).ConfigureAwait(false);
                var verdict = AuditRenderer.Verdict(verification.Valid, verification.Entries, verification.FirstBrokenSeq);
                if (verification.Valid)
                {
                    await output.Out.WriteLineAsync(verdict).ConfigureAwait(false);
                    return ExitCodes.Success;
                }
                await output.Error.WriteLineAsync(verdict).ConfigureAwait(false);
                return ExitCodes.ServerError;
            }
            catch (Exception e) when (e is FileNotFoundException or OptionsValidationException)
            {
                output.Fail(e.Message);
                return ExitCodes.Usage;
            }
            catch (DbException e)
            {
                // The message, not the connection string: it may carry a password.
                output.Fail($"cannot read the audit log: {e.Message}");
                return ExitCodes.CannotConnect;
            }
        });
        return command;
    }

    private static string? MissingSqliteFile(StorageOptions storage)
    {
        var dataSource = new SqliteConnectionStringBuilder(storage.ResolveConnectionString()).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var path = Path.GetFullPath(dataSource);
        return File.Exists(path) ? null : path;
    }
}
