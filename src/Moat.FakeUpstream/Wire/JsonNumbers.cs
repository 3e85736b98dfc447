using System.Text.Json;

namespace Moat.FakeUpstream.Wire;

/// <summary>Integer reads that answer false for non-numbers; JsonElement.TryGetInt32 throws on them, which would turn bad input into a 500.</summary>
internal static class JsonNumbers
{
    public static bool TryInt32(JsonElement element, out int value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value);
    }
}
