namespace Moat.Detection.Signals;

/// <summary>
/// Multi-turn conversations are how people and products use a chat model; harvesters send single-turn prompts. Read from
/// the decayed counts <see cref="ExtractionVolume"/> keeps (its conversation gate is where this signal acts).
/// </summary>
public static class ConversationShare
{
    public const string Name = "multi_turn_conversations";

    public static SignalReading Read(double multiTurn, double requests) => new(Name, SignalKind.Mitigating,
        requests <= 0 ? 0 : multiTurn / requests, (long)Math.Round(multiTurn), (long)Math.Round(requests),
        $"{multiTurn:F0} of {requests:F0} recent requests (decayed) continue a multi-turn conversation.",
        new Dictionary<string, object> { ["requests"] = Math.Round(requests, 1), ["multi_turn"] = Math.Round(multiTurn, 1) });
}
