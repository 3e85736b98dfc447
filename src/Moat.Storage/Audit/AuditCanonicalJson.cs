using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Moat.Storage;

/// <summary>
/// The canonical form the audit chain hashes: JSON with object keys in ordinal order, no whitespace, and one fixed
/// string escaping, so the same entry always produces the same bytes on every machine.
/// </summary>
internal static class AuditCanonicalJson
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions PayloadOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The payload as canonical JSON ("null" when absent).</summary>
    public static string Payload(object? payload)
    {
        var node = payload switch
        {
            null => null,
            JsonNode json => json,
            JsonElement element => JsonNode.Parse(element.GetRawText()),
            _ => JsonSerializer.SerializeToNode(payload, payload.GetType(), PayloadOptions),
        };
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteSorted(writer, node);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Lower-case hex SHA-256 of the entry's canonical document.</summary>
    public static string Hash(long seq, DateTimeOffset at, string actor, string action, string subject, string payloadJson, string prevHash)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + payloadJson.Length);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            // Keys in ordinal order, like every object in the payload.
            writer.WriteStartObject();
            writer.WriteString("action", action);
            writer.WriteString("actor", actor);
            writer.WriteString("at", FormatTimestamp(at));
            writer.WritePropertyName("payload");
            writer.WriteRawValue(payloadJson, skipInputValidation: false);
            writer.WriteString("prev_hash", prevHash);
            writer.WriteNumber("seq", seq);
            writer.WriteString("subject", subject);
            writer.WriteEndObject();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>ISO-8601 UTC with milliseconds, e.g. 2025-01-31T12:00:00.123Z.</summary>
    public static string FormatTimestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The instant truncated to whole milliseconds, so what is stored is exactly what was hashed.</summary>
    public static DateTimeOffset TruncateToMilliseconds(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    private static void WriteSorted(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                var properties = new List<KeyValuePair<string, JsonNode?>>(obj);
                properties.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
                writer.WriteStartObject();
                foreach (var (name, value) in properties)
                {
                    writer.WritePropertyName(name);
                    WriteSorted(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteSorted(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
