using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Moat.Admin.Api;
using Moat.WebConsole.Components.Dialogs;
using Moat.WebConsole.Hosting;
using MudBlazor;

namespace Moat.WebConsole.Components;

/// <summary>Base of the console pages: the signed-in actor, and actions whose refusals become a message, not a broken page.</summary>
public abstract class ConsolePage : ComponentBase
{
    [Inject]
    protected ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    protected IDialogService Dialogs { get; set; } = default!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The audit actor of this operator ("console:&lt;name&gt;" or "console").</summary>
    protected async Task<string> ActorAsync() =>
        AuthenticationState is null ? "console" : ConsoleAuthentication.ActorOf((await AuthenticationState.ConfigureAwait(true)).User);

    /// <summary>Runs an action; a refusal by the services (illegal transition, unknown id, missing reason) is shown to the operator.</summary>
    protected async Task<bool> TryAsync(Func<Task> action, string? success = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await action().ConfigureAwait(true);
            if (success is not null)
            {
                Snackbar.Add(success, Severity.Success);
            }
            return true;
        }
        catch (AdminApiException refused)
        {
            Snackbar.Add(refused.Message, Severity.Error);
        }
        catch (ArgumentException invalid)
        {
            Snackbar.Add(invalid.Message, Severity.Error);
        }
        return false;
    }

    /// <summary>Asks for a mandatory text (a reason, a key name); null when cancelled.</summary>
    protected async Task<string?> AskAsync(string title, string label, string confirm, Color color = Color.Primary, string? prompt = null, int lines = 3)
    {
        var parameters = new DialogParameters<TextDialog>
        {
            { d => d.Label, label },
            { d => d.ConfirmText, confirm },
            { d => d.ConfirmColor, color },
            { d => d.Prompt, prompt },
            { d => d.Lines, lines },
        };
        var dialog = await Dialogs.ShowAsync<TextDialog>(title, parameters, DialogDefaults).ConfigureAwait(true);
        var result = await dialog.Result.ConfigureAwait(true);
        return result is { Canceled: false, Data: string text } ? text : null;
    }

    protected static DialogOptions DialogDefaults { get; } = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true };

    protected static string When(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : "—";

    protected static string Number(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
