namespace Moat.Admin.Api;

/// <summary>Optional query-string values: blank means "not given".</summary>
internal static class QueryText
{
    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
