namespace Moat.Cli.Tests.Infrastructure;

/// <summary>One server shared by a test class whose tests each work on their own organisations.</summary>
public sealed class CliHostFixture : IAsyncLifetime
{
    public CliTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await CliTestHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
