using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Moat.Server.Hosting;

/// <summary>
/// Configuration sources, lowest precedence first: built-in appsettings.json, ./appsettings.json,
/// --config FILE, environment (Moat__…, plus MOAT_ADMIN_TOKEN), command line.
/// </summary>
public static class MoatConfiguration
{
    public const string AdminTokenVariable = "MOAT_ADMIN_TOKEN";

    /// <summary>Removes "--config FILE" (or --config=FILE) from the arguments and returns the file.</summary>
    public static string[] StripConfigArgument(string[] args, out string? configFile)
    {
        configFile = null;
        var rest = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length)
            {
                configFile = args[++i];
            }
            else if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                configFile = args[i]["--config=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }
        return [.. rest];
    }

    public static WebApplicationBuilder AddMoatConfiguration(this WebApplicationBuilder builder, string? configFile)
    {
        var configuration = builder.Configuration;
        // The shipped defaults sit below everything the operator provides.
        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            Path = "appsettings.json", // relative to the provider's root: an absolute path is silently not found
            Optional = true,
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(AppContext.BaseDirectory),
        });
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new FileNotFoundException($"The configuration file '{full}' given with --config does not exist.", full);
            }
            configuration.AddJsonFile(full, optional: false, reloadOnChange: false);
        }
        configuration.AddEnvironmentVariables();
        // Shutdown drains the ledger queue (nothing acknowledged may be lost): give it time beyond the 30 s default.
        var shutdown = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Moat:ShutdownTimeoutSeconds", 120)));
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = shutdown);
        var token = Environment.GetEnvironmentVariable(AdminTokenVariable);
        if (!string.IsNullOrEmpty(token) && string.IsNullOrEmpty(configuration["Moat:Admin:Token"]))
        {
            configuration["Moat:Admin:Token"] = token;
        }
        return builder;
    }

    public static WebApplicationBuilder AddMoatLogging(this WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<bool>("Moat:Logging:Json"))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                options.UseUtcTimestamp = true;
            });
        }
        return builder;
    }
}
