namespace Moat.WebConsole.Tests.Infrastructure;

/// <summary>Debian's Chromium, which Playwright drives (no browser download is possible here).</summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static readonly string[] Arguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    /// <summary>Why browser tests cannot run here, or null. Under CI=true a missing browser is a failure, never a skip.</summary>
    public static string? SkipReason =>
        File.Exists(ExecutablePath) || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"Chromium is not installed at {ExecutablePath} (apt-get install -y chromium); the console's browser tests are skipped. Under CI=true they fail instead.";
}

/// <summary>A test that drives the console in Chromium; skipped with a clear message when there is no browser (outside CI).</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
