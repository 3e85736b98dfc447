using Moat.FakeUpstream.Replay;
using Moat.FakeUpstream.Text;

namespace Moat.FakeUpstream.Runtime;

/// <summary>
/// Options in force plus what is derived from them. Swapped whole on a live change, so a request
/// sees one consistent configuration and the reply cache never mixes old and new word ranges.
/// </summary>
internal sealed class FakeUpstreamSnapshot(FakeUpstreamOptions options, ReplayCorpus? replay)
{
    public FakeUpstreamOptions Options { get; } = options;

    public ReplayCorpus? Replay { get; } = replay;

    /// <summary>Replies by (prompt hash, choice); choice -1 holds a replayed answer.</summary>
    public BoundedMemo<(ulong Prompt, int Choice), GeneratedReply> Replies { get; } = new(8192);
}
