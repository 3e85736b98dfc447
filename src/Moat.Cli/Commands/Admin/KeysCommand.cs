using System.CommandLine;
using Moat.Cli.Admin;

namespace Moat.Cli.Commands.Admin;

/// <summary>`moat admin keys create|list|rotate|revoke`.</summary>
internal static class KeysCommand
{
    public static Command Create(AdminSession session) => new("keys", "An organisation's API keys.")
    {
        CreateKey(session), List(session), Rotate(session), Revoke(session),
    };

    private static string KeysPath(ParseResult result, Argument<string> org, string? rest = null) =>
        $"admin/v1/organizations/{AdminApiClient.Segment(result.GetValue(org)!)}/keys{rest}";

    private static Command CreateKey(AdminSession session)
    {
        var org = AdminArguments.Id("org", "The organisation id.");
        var name = new Option<string>("--name") { Description = "A label for the key (e.g. the service that uses it).", Required = true };
        var command = new Command("create", "Create a key; its secret is printed once.") { org, name };
        session.SetAction(command,
            (call, result, ct) => call.Client.PostAsync(KeysPath(result, org), new { Name = result.GetValue(name) }, ct),
            KeyRenderer.Created);
        return command;
    }

    private static Command List(AdminSession session)
    {
        var org = AdminArguments.Id("org", "The organisation id.");
        var command = new Command("list", "List an organisation's keys (never their secrets).") { org };
        session.SetAction(command, (call, result, ct) => call.Client.GetAsync(KeysPath(result, org), ct), KeyRenderer.List);
        return command;
    }

    private static Command Rotate(AdminSession session)
    {
        var org = AdminArguments.Id("org", "The organisation id.");
        var key = AdminArguments.Id("key", "The key id.");
        var reason = AdminArguments.Reason();
        var grace = new Option<int?>("--grace-seconds") { Description = "How long the old key keeps working (default: revoked at once)." };
        var command = new Command("rotate", "Replace a key with a new one; the new secret is printed once.") { org, key, reason, grace };
        session.SetAction(command,
            (call, result, ct) => call.Client.PostAsync(KeysPath(result, org, $"/{AdminApiClient.Segment(result.GetValue(key)!)}/rotate"),
                new { Reason = result.GetValue(reason), GraceSeconds = result.GetValue(grace) }, ct),
            KeyRenderer.Created);
        return command;
    }

    private static Command Revoke(AdminSession session)
    {
        var org = AdminArguments.Id("org", "The organisation id.");
        var key = AdminArguments.Id("key", "The key id.");
        var reason = AdminArguments.Reason();
        var command = new Command("revoke", "Revoke a key at once.") { org, key, reason };
        session.SetAction(command,
            (call, result, ct) => call.Client.PostAsync(KeysPath(result, org, $"/{AdminApiClient.Segment(result.GetValue(key)!)}/revoke"),
                new { Reason = result.GetValue(reason) }, ct),
            KeyRenderer.Revoked);
        return command;
    }
}
