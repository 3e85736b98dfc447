using Moat.Provenance;

namespace Moat.Provenance.Eval;

/// <summary>What was served and to whom, plus what the evaluation needs to know about it (never given to the index).</summary>
public sealed record ServedRecord(ServedText Served, string SourceId, string Generator, bool IsDev);

/// <summary>
/// A text that was never served to anyone: another model's answer to an instruction that was served (the hard case), or,
/// with SameInstructionServed false, any model's answer to an instruction nobody was served.
/// </summary>
public sealed record UnservedRecord(string Text, string SourceId, string Generator, bool IsDev, bool SameInstructionServed = true);

/// <summary>
/// Where the evaluation's served outputs come from. The file corpus below reads recorded answers; a gateway-backed one
/// can send the same instructions through the real gateway to a replay upstream and yield what it served.
/// </summary>
public interface IServedCorpus
{
    IEnumerable<ServedRecord> Served();

    IEnumerable<UnservedRecord> NeverServed();
}
