using Microsoft.Playwright;

namespace Moat.WebConsole.Tests.Infrastructure;

/// <summary>One host and one browser for the console tests; every test gets its own browser context (own cookies).</summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public ConsoleTestHost Host { get; private set; } = default!;

    /// <summary>Where screenshots for humans go: TestResults/console at the repository root.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), "TestResults", "console");

    public async Task InitializeAsync()
    {
        Host = await ConsoleTestHost.StartAsync();
        if (Chromium.SkipReason is not null)
        {
            return;
        }
        if (!File.Exists(Chromium.ExecutablePath))
        {
            throw new InvalidOperationException($"CI=true but Chromium is missing at {Chromium.ExecutablePath}: install it (apt-get install -y chromium).");
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            Args = Chromium.Arguments,
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await (_browser ?? throw new InvalidOperationException("No browser.")).NewContextAsync(new()
        {
            BaseURL = Host.BaseUri.ToString(),
            ViewportSize = new() { Width = 1400, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Moat.slnx")))
            {
                return directory.FullName;
            }
        }
        return AppContext.BaseDirectory;
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
