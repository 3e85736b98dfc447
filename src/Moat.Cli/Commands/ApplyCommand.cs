using System.CommandLine;
using Moat.Cli.Admin;
using Spectre.Console;

namespace Moat.Cli.Commands;

/// <summary>`moat apply`: ask for access through the portal API, and `moat apply status ID` to follow it up.</summary>
internal static class ApplyCommand
{
    public static Command Create(CliOutput output)
    {
        var url = AdminSession.UrlOption();
        var json = new Option<bool>("--json") { Description = "Print the server's JSON answer verbatim.", Recursive = true };
        var org = new Option<string?>("--org") { Description = "The organisation's name (required)." };
        var email = new Option<string?>("--email") { Description = "Contact e-mail (required)." };
        var useCase = new Option<string?>("--use-case") { Description = "Use-case category: chatbot, coding, search, data-processing, research, evaluation or other (required)." };
        var intendedUse = new Option<string?>("--intended-use") { Description = "What the model will be used for, in a sentence or two (required)." };
        var monthlyTokens = new Option<long?>("--monthly-tokens") { Description = "Expected tokens per month (required)." };
        var termsVersion = new Option<string?>("--terms-version") { Description = "The terms version accepted (default: the server's current one)." };
        var acceptTerms = new Option<bool>("--accept-terms") { Description = "Accept the terms of use without being asked (needed when not on a terminal)." };
        var command = new Command("apply", "Apply for access to a Moat server; prints the application id.")
        {
            url, json, org, email, useCase, intendedUse, monthlyTokens, termsVersion, acceptTerms, Status(output, url, json),
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var missing = new[] { (org.Name, result.GetValue(org) is { Length: > 0 }), (email.Name, result.GetValue(email) is { Length: > 0 }),
                    (useCase.Name, result.GetValue(useCase) is { Length: > 0 }), (intendedUse.Name, result.GetValue(intendedUse) is { Length: > 0 }),
                    (monthlyTokens.Name, result.GetValue(monthlyTokens) is not null) }
                .Where(o => !o.Item2).Select(o => o.Name).ToList();
            if (missing.Count > 0)
            {
                output.Fail($"missing {string.Join(", ", missing)} (see moat apply --help)");
                return ExitCodes.Usage;
            }
            if (!result.GetValue(acceptTerms) && !output.IsInteractive)
            {
                output.Fail("the terms of use must be accepted: pass --accept-terms (there is no terminal to ask on)");
                return ExitCodes.Usage;
            }
            if (!AdminSession.TryParseUrl(result.GetValue(url), output, out var server))
            {
                return ExitCodes.Usage;
            }
            using var client = new AdminApiClient(server, token: null, actor: null);
            return await AdminSession.Guard(output, async () =>
            {
                var version = result.GetValue(termsVersion);
                string? text = null;
                if (version is null)
                {
                    var terms = await client.GetAsync("portal/v1/terms", cancellationToken).ConfigureAwait(false);
                    version = terms.Root.Show("version");
                    text = terms.Root.Text("text");
                }
                if (!result.GetValue(acceptTerms) && !Accepted(output, version, text))
                {
                    return ExitCodes.Usage;
                }
                var submitted = await client.PostAsync("portal/v1/applications", new
                {
                    OrganizationName = result.GetValue(org),
                    ContactEmail = result.GetValue(email),
                    IntendedUse = result.GetValue(intendedUse),
                    UseCaseCategory = result.GetValue(useCase),
                    ExpectedMonthlyTokens = result.GetValue(monthlyTokens),
                    TermsVersion = version,
                }, cancellationToken).ConfigureAwait(false);
                if (result.GetValue(json))
                {
                    output.Out.WriteLine(submitted.Json);
                }
                else
                {
                    ApplicationRenderer.Submission(output.Console, submitted.Root);
                    output.Console.MarkupLine($"[grey]follow it with: moat apply status {Markup.Escape(submitted.Root.Show("id"))}[/]");
                }
                return ExitCodes.Success;
            }).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Shows the terms and asks on the terminal.</summary>
    private static bool Accepted(CliOutput output, string version, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            output.Console.Write(new Panel(new Text(text)).Header($"Terms of use, version {Markup.Escape(version)}").Border(BoxBorder.Rounded));
        }
        if (output.Console.Confirm($"Do you accept the terms of use (version {Markup.Escape(version)})?", defaultValue: false))
        {
            return true;
        }
        output.Fail("the terms of use were not accepted; nothing was submitted");
        return false;
    }

    private static Command Status(CliOutput output, Option<string> url, Option<bool> json)
    {
        var id = new Argument<string>("id") { Description = "The application id printed by `moat apply`." };
        var command = new Command("status", "Show an application's status.") { id };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!AdminSession.TryParseUrl(result.GetValue(url), output, out var server))
            {
                return ExitCodes.Usage;
            }
            using var client = new AdminApiClient(server, token: null, actor: null);
            return await AdminSession.Guard(output, async () =>
            {
                var answer = await client.GetAsync($"portal/v1/applications/{AdminApiClient.Segment(result.GetValue(id)!)}", cancellationToken).ConfigureAwait(false);
                if (result.GetValue(json))
                {
                    output.Out.WriteLine(answer.Json);
                }
                else
                {
                    ApplicationRenderer.Submission(output.Console, answer.Root);
                }
                return ExitCodes.Success;
            }).ConfigureAwait(false);
        });
        return command;
    }
}
