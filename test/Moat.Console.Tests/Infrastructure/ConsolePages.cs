using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Moat.WebConsole.Tests.Infrastructure;

/// <summary>What an operator does in the console, as Playwright steps.</summary>
public static partial class ConsolePages
{
    public static async Task SignInAsync(this IPage page, string token = ConsoleTestHost.AdminToken, string? name = "alex")
    {
        await page.GotoAsync("/console/signin");
        await page.Locator("#token").FillAsync(token);
        if (name is not null)
        {
            await page.Locator("#name").FillAsync(name);
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Goes to a console page and waits until the circuit has rendered its heading.</summary>
    public static async Task OpenAsync(this IPage page, string path, string heading)
    {
        await page.GotoAsync("/console/" + path.TrimStart('/'));
        await page.GetByRole(AriaRole.Heading, new() { Name = heading }).First.WaitForAsync();
    }

    /// <summary>Types into the open dialog's text box and presses its confirm button.</summary>
    public static async Task ConfirmDialogAsync(this IPage page, string? text = null)
    {
        var dialog = page.Locator(".mud-dialog");
        await dialog.WaitForAsync();
        if (text is not null)
        {
            await dialog.Locator("[data-testid=dialog-text] textarea, [data-testid=dialog-text] input").First.FillAsync(text);
        }
        await dialog.Locator("[data-testid=dialog-confirm]").ClickAsync();
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    public static async Task ScreenshotAsync(this IPage page, string name)
    {
        Directory.CreateDirectory(ConsoleFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleFixture.ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    [GeneratedRegex(@"/console/?$")]
    public static partial Regex OverviewUrl();

    [GeneratedRegex(@"/console/signin")]
    public static partial Regex SignInUrl();
}
