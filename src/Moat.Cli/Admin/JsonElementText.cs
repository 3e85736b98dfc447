using System.Globalization;
using System.Text.Json;
using Moat.Core.Text;

namespace Moat.Cli.Admin;

/// <summary>Reads loosely-typed fields of an API answer for display; missing and null read as null.</summary>
internal static class JsonElementText
{
    public static JsonElement? Field(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    /// <summary>The field as text: strings as-is, numbers and booleans in invariant form, objects as JSON.</summary>
    public static string? Text(this JsonElement element, string name) => element.Field(name) is { } value ? Display(value) : null;

    public static string Show(this JsonElement element, string name, string missing = "-") => element.Text(name) ?? missing;

    public static double? Number(this JsonElement element, string name) =>
        element.Field(name) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null;

    public static IEnumerable<JsonElement> Items(this JsonElement element, string name = "data") =>
        element.Field(name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    /// <summary>
    /// The value as one line of terminal-safe text: control and bidi characters from the server (applicants, customers
    /// and older rows put them there) are shown as <c>\uXXXX</c>, never sent to the terminal. Spectre markup is escaped
    /// by the renderers.
    /// </summary>
    public static string Display(JsonElement value) => UntrustedText.ForDisplay(value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Null or JsonValueKind.Undefined => "-",
        _ => value.GetRawText(),
    }, allowLineBreaks: true);

    /// <summary>Timestamps shortened to "yyyy-MM-dd HH:mm:ss" UTC; other text unchanged.</summary>
    public static string When(this JsonElement element, string name) =>
        element.Text(name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : element.Show(name);

    /// <summary>A number with thousands separators, or "-".</summary>
    public static string Count(this JsonElement element, string name) =>
        element.Number(name) is { } n ? n.ToString("#,0.##", CultureInfo.InvariantCulture) : element.Show(name);
}
