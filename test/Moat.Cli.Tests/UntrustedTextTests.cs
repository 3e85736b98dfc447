using System.Text.Json;
using CsCheck;
using Moat.Cli.Admin;
using Moat.Core.Text;

namespace Moat.Cli.Tests;

/// <summary>
/// The one sanitiser (issue 9 row 13): nothing a terminal would act on survives <see cref="UntrustedText.ForDisplay"/>, clean
/// text is untouched, and the renderers use it for every field.
/// </summary>
public sealed class UntrustedTextTests
{
    private static Gen<char> AnyOf(params char[] chars) => Gen.Int[0, chars.Length - 1].Select(i => chars[i]);

    private static readonly Gen<char> Hostile = Gen.OneOf(
        Gen.Char['\u0000', '\u001F'], Gen.Char['\u007F', '\u009F'], Gen.Char['\u202A', '\u202E'], Gen.Char['\u2066', '\u2069'],
        AnyOf('\u061C', '\u200E', '\u200F'));

    private static readonly Gen<char> Ordinary = Gen.OneOf(Gen.Char['\u0020', '\uD7FF'], Gen.Char['a', 'z'], AnyOf('[', ']', '\r', '\n', '\t'));

    // No backslash, so an escape in the output can only have come from the sanitiser (round trip below).
    private static readonly Gen<string> Mixed = Gen.OneOf(Ordinary, Hostile).Where(c => c != '\\').Array[0, 60].Select(chars => new string(chars));

    [Fact]
    public void ForDisplay_AnyText_LeavesNoUnsafeCharacter()
    {
        Mixed.Sample(text =>
        {
            Assert.Equal(-1, UntrustedText.FindUnsafe(UntrustedText.ForDisplay(text)));
            var multiLine = UntrustedText.ForDisplay(text, allowLineBreaks: true);
            Assert.Equal(-1, UntrustedText.FindUnsafe(multiLine, allowLineBreaks: true));
            Assert.DoesNotMatch("\r(?!\n)", multiLine); // a lone carriage return would overwrite the line
        });
    }

    [Fact]
    public void ForDisplay_CleanText_ReturnedUnchanged()
    {
        Gen.String.Where(s => UntrustedText.FindUnsafe(s) < 0).Sample(text => Assert.Same(text, UntrustedText.ForDisplay(text)));
    }

    [Fact]
    public void ForDisplay_AnyText_DecodesBackToTheOriginal()
    {
        // Nothing is lost or invented: every unsafe character becomes exactly one visible \uXXXX.
        Mixed.Sample(text =>
        {
            var shown = UntrustedText.ForDisplay(text);
            var decoded = System.Text.RegularExpressions.Regex.Replace(shown, @"\\u([0-9A-F]{4})",
                m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());
            Assert.Equal(text, decoded);
        });
    }

    [Fact]
    public void FindUnsafe_TerminalAttack_FindsTheEscape()
    {
        Assert.Equal(5, UntrustedText.FindUnsafe("Acme \u001B]0;x\u0007"));
        Assert.Equal(-1, UntrustedText.FindUnsafe("line one\r\nline two\tend", allowLineBreaks: true));
        Assert.Equal(8, UntrustedText.FindUnsafe("line one\r\nline two"));
        Assert.Equal("Acme \\u001B]0;x\\u0007 \\u202E", UntrustedText.ForDisplay("Acme \u001B]0;x\u0007 \u202E"));
    }

    [Fact]
    public void ApplicationList_OrganizationNameWithTerminalControls_RenderedInert()
    {
        var text = Render(ApplicationRenderer.List, JsonSerializer.Serialize(new
        {
            data = new[]
            {
                new
                {
                    id = "app_1", organization_name = "Evil \u001B]0;owned\u0007\u001B[2J [red]Corp[/] \u202Egnp.exe",
                    contact_email = "x@evil.example", use_case_category = "other", expected_monthly_tokens = 1, status = "pending",
                    submitted_at = "2026-01-02T03:04:05Z",
                },
            },
            next_cursor = (string?)null,
        }));

        Assert.Equal(-1, UntrustedText.FindUnsafe(text, allowLineBreaks: true));
        Assert.Contains("\\u001B]0;owned\\u0007", text, StringComparison.Ordinal);
        Assert.Contains("[red]Corp[/]", text, StringComparison.Ordinal); // markup shown as text, not applied
    }

    [Fact]
    public void Renderers_AnyHostileField_NeverEmitUnsafeCharacters()
    {
        Mixed.Sample(name =>
        {
            var json = JsonSerializer.Serialize(new
            {
                data = new[] { new { id = name, name, state = name, tier = name, limits = new { }, risk = (object?)null } },
                next_cursor = name,
            });
            var text = Render(OrganizationRenderer.List, json);
            Assert.Equal(-1, UntrustedText.FindUnsafe(text, allowLineBreaks: true));
        }, iter: 200);
    }

    [Fact]
    public void Fail_ServerMessageWithControls_WrittenInert()
    {
        using var error = new StringWriter();
        var output = CliOutput.Plain(TextWriter.Null, error);

        output.Fail("Unknown tier '\u001B[2J'.");

        Assert.Equal("error: Unknown tier '\\u001B[2J'." + Environment.NewLine, error.ToString());
    }

    private static string Render(Action<Spectre.Console.IAnsiConsole, AdminResponse> render, string json)
    {
        using var output = new StringWriter();
        render(CliOutput.Plain(output, TextWriter.Null).Console, new AdminResponse(json, JsonDocument.Parse(json).RootElement.Clone()));
        return output.ToString();
    }
}
