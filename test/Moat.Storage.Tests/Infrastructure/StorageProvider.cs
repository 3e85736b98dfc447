namespace Moat.Storage.Tests.Infrastructure;

public enum StorageProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Marks a test class that runs against PostgreSQL (MOAT_TEST_POSTGRES).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute;

/// <summary>Where the PostgreSQL tests get their server, and whether they may be skipped.</summary>
public static class PostgresEnvironment
{
    public const string ConnectionVariable = "MOAT_TEST_POSTGRES";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } value ? value : null;

    /// <summary>On CI a missing server is a failure, never a silent skip.</summary>
    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? SkipReason =>
        ConnectionString is null && !IsCi
            ? $"{ConnectionVariable} is not set; run test/scripts/start-services.sh to test against PostgreSQL"
            : null;

    public static string RequireConnectionString() =>
        ConnectionString ?? throw new InvalidOperationException(
            $"{ConnectionVariable} is not set but CI=true: PostgreSQL tests must run on CI. Start it with test/scripts/start-services.sh.");
}
