using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moat.Storage;

namespace Moat.Server.Hosting;

/// <summary>One-time start-up work: schema migration and the admin token.</summary>
internal static class MoatStartup
{
    public static async Task PrepareAsync(IServiceProvider services, TextWriter announce, CancellationToken cancellationToken)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        // Validated here, before any database work: a short token is a start-up error naming the setting.
        var adminToken = services.GetRequiredService<IOptions<AdminTokenOptions>>().Value.Token;
        if (configuration.GetValue("Moat:Storage:AutoMigrate", true))
        {
            await MoatDatabase.MigrateAsync(services, cancellationToken).ConfigureAwait(false);
        }
        var tokens = services.GetRequiredService<AdminTokenStore>();
        var generated = await tokens.EnsureAsync(adminToken, cancellationToken).ConfigureAwait(false);
        if (generated is not null)
        {
            // Shown exactly once, on the console only: logs never carry secrets, and only its hash is stored.
            await announce.WriteLineAsync($"Generated admin token (shown once, store it safely): {generated}").ConfigureAwait(false);
        }
    }
}
