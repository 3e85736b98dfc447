using System.Globalization;
using Moat.Storage;

namespace Moat.Admin.Api;

/// <summary>List paging: <c>?cursor=&amp;limit=</c> (default 50, at most 500) over rows fetched one beyond the limit.</summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static int Limit(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return DefaultLimit;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > MaxLimit)
        {
            throw AdminApiException.Invalid($"'limit' must be an integer from 1 to {MaxLimit}.", "limit");
        }
        return limit;
    }

    public static Page<T> ToPage<T>(List<T> rows, int limit, Func<T, string> cursorOf)
    {
        if (rows.Count <= limit)
        {
            return new Page<T>(rows, null);
        }
        rows.RemoveAt(rows.Count - 1);
        return new Page<T>(rows, cursorOf(rows[^1]));
    }
}
