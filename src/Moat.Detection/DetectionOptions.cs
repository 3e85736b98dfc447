using System.ComponentModel.DataAnnotations;

namespace Moat.Detection;

/// <summary>Bound from <c>Moat:Detection</c>.</summary>
public sealed class DetectionOptions
{
    public const string SectionName = "Moat:Detection";

    /// <summary>When false the engine ignores traffic (scores stay at zero); for deployments that only need access control and quotas.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Shared data folder (benchmark suites); relative paths resolve against the content root. Missing → the shipped fingerprints.</summary>
    public string DataDir { get; set; } = "../shared/data";

    /// <summary>Request features waiting for the background loop; the oldest are dropped (and counted) beyond this.</summary>
    [Range(64, 10_000_000)]
    public int ChannelCapacity { get; set; } = 65_536;

    /// <summary>Risk snapshots kept per organisation (a ring; older ones are persisted through <see cref="Scoring.IRiskSnapshotSink"/>).</summary>
    [Range(8, 100_000)]
    public int HistoryCapacity { get; set; } = 288;

    /// <summary>Minimum spacing of history snapshots of one organisation, unless its level changes.</summary>
    public TimeSpan HistoryInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Half-life of the evidence counters (hours, in request time: the same in the simulator and live). Long enough that
    /// a tenant harvesting a fifth of its traffic for days keeps climbing, short enough that a one-off spot check fades.
    /// </summary>
    [Range(1, 24 * 365)]
    public double EvidenceHalfLifeHours { get; set; } = 72;

    /// <summary>max_tokens at or above this counts as "asking for the cap".</summary>
    [Range(1, 10_000_000)]
    public int MaxTokensCap { get; set; } = 4096;

    /// <summary>Organisations sharing one IP prefix, user agent or template beyond this are treated as generic, not as a link.</summary>
    [Range(2, 10_000)]
    public int MaxOrgsPerLinkFeature { get; set; } = 16;

    /// <summary>
    /// Entries per generation of the served-reply filters (fingerprints, all organisations together) that tell a
    /// conversation the gateway really had from a history the client wrote: a reply takes one entry, one that answered a
    /// counted one-shot request up to seven; 16 bits per entry in two generations (the default holds 8 MB × 2 and
    /// remembers the last 4–8 million entries: at least 570,000 replies, typically 2–4 million).
    /// </summary>
    [Range(1_000, 200_000_000)]
    public int ServedReplyCapacity { get; set; } = 4_000_000;

    /// <summary>
    /// Count earlier turns as a conversation only when this process served the assistant turn the client sends back.
    /// Unset: on for one replica, off when replicas share Redis (each replica then sees only part of a conversation).
    /// </summary>
    public bool? VerifyConversations { get; set; }

    /// <summary>
    /// At most this many sampled openings are embedded a second for the semantic contrast (live; ~6 ms each on one core,
    /// so the default spends at most ~3% of one core); samples beyond it are skipped and counted.
    /// </summary>
    [Range(1, 10_000)]
    public int SemanticEmbeddingsPerSecond { get; set; } = 5;

    /// <summary>Model release dates (model id → release time) for the post-release surge signal; merged with <c>Moat:Models[i]:ReleasedAt</c>.</summary>
    public Dictionary<string, DateTimeOffset> ModelReleases { get; set; } = new(StringComparer.Ordinal);
}
