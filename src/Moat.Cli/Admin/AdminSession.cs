using System.CommandLine;
using Spectre.Console;

namespace Moat.Cli.Admin;

/// <summary>
/// The options every `moat admin` command shares (--url, --token, --actor, --json) and the one place that turns
/// a command's work into an exit code: 0 done, 1 the server answered an error, 2 usage, 3 cannot connect.
/// </summary>
internal sealed class AdminSession(CliOutput output)
{
    public const string DefaultUrl = "http://127.0.0.1:8080";
    public const string UrlVariable = "MOAT_URL";
    public const string TokenVariable = "MOAT_ADMIN_TOKEN";

    public CliOutput Output { get; } = output;

    public Option<string> Url { get; } = UrlOption();

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"Admin token (default: ${TokenVariable}). Never printed.",
        Recursive = true,
    };

    public Option<string?> Actor { get; } = new("--actor")
    {
        Description = "Operator name recorded in the audit log (X-Moat-Actor; default: $USER).",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the server's JSON answer verbatim (for scripts).",
        Recursive = true,
    };

    /// <summary>--url with the $MOAT_URL / loopback default; shared with `moat apply`.</summary>
    public static Option<string> UrlOption() => new("--url")
    {
        Description = $"The Moat server (default: ${UrlVariable} or {DefaultUrl}).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url ? url : DefaultUrl,
        Recursive = true,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(Token);
        command.Options.Add(Actor);
        command.Options.Add(Json);
    }

    /// <summary>Sets an admin command's action: <paramref name="work"/> gets a connected call and returns its exit code.</summary>
    public void SetAction(Command command, Func<AdminCall, ParseResult, CancellationToken, Task<int>> work) =>
        command.SetAction((result, cancellationToken) => RunAsync(result, work, cancellationToken));

    /// <summary>Sets an action that prints the answer as JSON or through <paramref name="render"/>.</summary>
    public void SetAction(Command command, Func<AdminCall, ParseResult, CancellationToken, Task<AdminResponse>> request, Action<IAnsiConsole, AdminResponse> render) =>
        SetAction(command, async (call, result, cancellationToken) =>
        {
            call.Show(await request(call, result, cancellationToken), render);
            return ExitCodes.Success;
        });

    private async Task<int> RunAsync(ParseResult result, Func<AdminCall, ParseResult, CancellationToken, Task<int>> work, CancellationToken cancellationToken)
    {
        var token = result.GetValue(Token) is { Length: > 0 } given ? given : Environment.GetEnvironmentVariable(TokenVariable);
        if (string.IsNullOrEmpty(token))
        {
            Output.Fail($"no admin token: pass --token or set {TokenVariable}");
            return ExitCodes.Usage;
        }
        if (!TryParseUrl(result.GetValue(Url), Output, out var url))
        {
            return ExitCodes.Usage;
        }
        var actor = result.GetValue(Actor) is { Length: > 0 } named ? named : Environment.GetEnvironmentVariable("USER");
        using var client = new AdminApiClient(url, token, actor);
        return await Guard(Output, () => work(new AdminCall(client, Output, result.GetValue(Json)), result, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Maps API and connection failures to their one-line message and exit code.</summary>
    public static async Task<int> Guard(CliOutput output, Func<Task<int>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (AdminApiException e)
        {
            output.Fail($"{e.Code}: {e.Message}");
            return ExitCodes.ServerError;
        }
        catch (AdminConnectionException e)
        {
            output.Fail(e.Message);
            return ExitCodes.CannotConnect;
        }
    }

    public static bool TryParseUrl(string? text, CliOutput output, out Uri url)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps))
        {
            // A trailing slash makes relative routes resolve under a path prefix (e.g. behind a proxy).
            url = parsed.AbsoluteUri.EndsWith('/') ? parsed : new Uri(parsed.AbsoluteUri + "/");
            return true;
        }
        output.Fail($"--url must be an http(s) URL (was '{text}')");
        url = null!;
        return false;
    }
}

/// <summary>One command's connection to the server and how it prints.</summary>
internal sealed class AdminCall(AdminApiClient client, CliOutput output, bool json)
{
    public AdminApiClient Client { get; } = client;

    public CliOutput Output { get; } = output;

    public bool Json { get; } = json;

    /// <summary>Prints the answer verbatim with --json, otherwise through the renderer.</summary>
    public void Show(AdminResponse response, Action<IAnsiConsole, AdminResponse> render)
    {
        if (Json)
        {
            Output.Out.WriteLine(response.Json);
        }
        else
        {
            render(Output.Console, response);
        }
    }
}
