using Moat.Storage.Entities;

namespace Moat.Hostile.Tests.Infrastructure;

/// <summary>
/// Reads ledger columns that the hardening adds (<c>UsageSource</c>, <c>Attempts</c>) by name, so this project compiles
/// against today's entity and fails with a readable message until the column exists.
/// </summary>
public static class Ledger
{
    public static string? UsageSource(UsageRecordEntity row) => (string?)Column(row, "UsageSource");

    public static int Attempts(UsageRecordEntity row) => Convert.ToInt32(Column(row, "Attempts"), System.Globalization.CultureInfo.InvariantCulture);

    public static bool HasColumn(string name) => typeof(UsageRecordEntity).GetProperty(name) is not null;

    private static object? Column(UsageRecordEntity row, string name)
    {
        var property = typeof(UsageRecordEntity).GetProperty(name);
        Assert.True(property is not null, $"ledger rows have no '{name}' column (UsageRecordEntity.{name}); the contract needs it");
        return property!.GetValue(row);
    }

    public static string Describe(IEnumerable<UsageRecordEntity> rows) =>
        string.Join("; ", rows.Select(r => $"{r.Status}/{r.ErrorCode}/p{r.PromptTokens}/c{r.CompletionTokens}"));
}
