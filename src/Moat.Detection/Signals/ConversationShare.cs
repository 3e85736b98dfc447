namespace Moat.Detection.Signals;

/// <summary>Multi-turn conversations are how people and products use a chat model; harvesters send single-turn prompts.</summary>
public sealed class ConversationShare
{
    public const string Name = "multi_turn_conversations";

    public long Total { get; private set; }
    public long MultiTurn { get; private set; }

    public void Observe(int messageCount)
    {
        Total++;
        // System + user is one turn; anything beyond carries earlier turns.
        if (messageCount > 2)
        {
            MultiTurn++;
        }
    }

    public double Value => Total < 5 ? 0 : MultiTurn / (double)Total;

    public SignalReading Read() => new(Name, SignalKind.Mitigating, Value, MultiTurn, Total,
        $"{MultiTurn} of {Total} requests continue a multi-turn conversation.",
        new Dictionary<string, object> { ["requests"] = Total, ["multi_turn"] = MultiTurn });
}
