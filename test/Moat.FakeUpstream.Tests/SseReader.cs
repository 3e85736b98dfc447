using System.Text.Json.Nodes;

namespace Moat.FakeUpstream.Tests;

/// <summary>Reads a server-sent event stream into its data payloads, recording when each arrived.</summary>
internal static class SseReader
{
    public static async Task<List<(string Data, TimeSpan At)>> ReadAllAsync(HttpResponseMessage response)
    {
        var events = new List<(string, TimeSpan)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((line["data: ".Length..], clock.Elapsed));
            }
            else
            {
                Assert.Equal(string.Empty, line);
            }
        }

        return events;
    }

    /// <summary>The JSON chunks of a stream that must end with [DONE].</summary>
    public static async Task<List<JsonNode>> ReadChunksAsync(HttpResponseMessage response)
    {
        var events = await ReadAllAsync(response);
        Assert.Equal("[DONE]", events[^1].Data);
        return events.Take(events.Count - 1).Select(e => JsonNode.Parse(e.Data)!).ToList();
    }
}
