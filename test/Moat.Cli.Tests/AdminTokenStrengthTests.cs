using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moat.Cli.Commands;
using Moat.Cli.Tests.Infrastructure;
using Moat.Server;
using Moat.Storage;

namespace Moat.Cli.Tests;

/// <summary>A configured admin token shorter than 32 characters is a clear start-up error naming the setting (exit 2).</summary>
public sealed class AdminTokenStrengthTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "moat-token-tests", Guid.NewGuid().ToString("n"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_ShortAdminTokenSetting_ExitsTwoNamingTheSettingBeforeTouchingTheDatabase()
    {
        // Bounded: were the token accepted, serve would run until cancelled, and the exit code would be 0.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await MoatCli.InvokeAsync(
            ["serve", "--urls", "http://127.0.0.1:0", $"--Moat:DataDir={_dataDir}", "--Moat:Admin:Token=weak-token-xyz"],
            CliOutput.Plain(output, error), timeout.Token);
        var run = new CliRun(exitCode, output.ToString(), error.ToString());

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("Moat:Admin:Token (or MOAT_ADMIN_TOKEN) must be at least 32 characters", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("weak-token-xyz", run.Out + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dataDir, "moat.db")));
    }

    [Fact]
    public async Task Serve_OneCharacterTokenInEnvironment_ProcessExitsTwoWithOneLineAndNoStackTrace()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "exec", Path.Combine(AppContext.BaseDirectory, "moat.dll"), "serve", "--urls", "http://127.0.0.1:0", $"--Moat:DataDir={_dataDir}" })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["MOAT_ADMIN_TOKEN"] = "a";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(); // it started serving: the check failed
            }
        }

        Assert.True(process.ExitCode == 2, $"exit {process.ExitCode}\n{await output}\n{await error}");
        Assert.Contains("MOAT_ADMIN_TOKEN", await error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", await error + await output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(31, false)]
    [InlineData(32, true)]
    public async Task AdminTokenOptions_LengthBoundary_ValidOnlyFrom32Characters(int length, bool valid)
    {
        await using var app = MoatApplication.Create([$"--Moat:DataDir={_dataDir}", $"--Moat:Admin:Token={new string('k', length)}"]);

        var options = () => app.Services.GetRequiredService<IOptions<AdminTokenOptions>>().Value;

        if (valid)
        {
            Assert.Equal(length, options().Token!.Length);
        }
        else
        {
            Assert.Contains("Moat:Admin:Token", Assert.Throws<OptionsValidationException>(options).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void GenerateAdminToken_Demo_IsLongEnoughForTheCheck()
    {
        var token = DemoCommand.GenerateAdminToken();

        Assert.True(token.Length >= AdminTokenOptions.MinimumLength, token.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEqual(token, DemoCommand.GenerateAdminToken());
    }
}
