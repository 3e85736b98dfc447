using Moat.Core.Signals;
using Moat.Detection.Linkage;
using Moat.Detection.Semantic;
using Moat.Detection.Signals;
using Moat.Detection.Sketches;

namespace Moat.Detection.Scoring;

/// <summary>Everything detection keeps about one organisation: fixed-size sketches and counters, no prompt text.</summary>
public sealed class TenantState
{
    private const int MaxKeys = 64;

    /// <summary>Volume fields in a checkpoint: 7 counters, openings and continuations, and 3 per opening class.</summary>
    private const int VolumeFields = 9 + 3 * Opening.Classes;

    // Written when classes were cued × max_tokens bucket (8): restored like a version-1 checkpoint, all mass in one class.
    private const int LegacyVolumeFields = 9 + 3 * 8;

    private readonly double _halfLifeSeconds;
    private readonly int _maxTokensCap;
    private readonly RecentSet _recentPrompts = new();
    private DateTimeOffset _evidenceAt;

    private readonly ServedReplies _replies;
    private readonly ulong _orgKey;
    private readonly bool _verifyConversations;

    internal TenantState(string orgId, DetectionOptions options, IReadOnlyList<(string, DateTimeOffset)> releases, ServedReplies replies)
    {
        OrgId = orgId;
        _replies = replies;
        _orgKey = Text.StableHash.Of(orgId);
        _verifyConversations = options.VerifyConversations ?? true;
        _halfLifeSeconds = options.EvidenceHalfLifeHours * 3600;
        _maxTokensCap = options.MaxTokensCap;
        Parameters = new OutputMaximisingParameters(options.MaxTokensCap);
        Release = new ReleaseSurge(releases);
        History = new RiskHistory(options.HistoryCapacity);
    }

    public string OrgId { get; }
    public long Requests { get; private set; }
    public DateTimeOffset FirstSeen { get; private set; }
    public DateTimeOffset LastSeen { get; private set; }

    public ContentEvidence InstructionGeneration { get; } = new("instruction_generation", 0.01, 0.08,
        "ask the model to invent tasks or instructions (self-instruct meta-prompts)");

    public ContentEvidence ReasoningElicitation { get; } = new("reasoning_elicitation", 0.05, 0.35,
        "elicit a full chain of thought");

    public BenchmarkEvidence Benchmark { get; } = new();

    /// <summary>One-shot, novel, answer-seeking requests weighted by their cues: how much was taken.</summary>
    public ExtractionVolume Volume { get; } = new();

    /// <summary>Reasoning-elicitation hits on benchmark items (decayed): part of a normal evaluation run for allow-listed orgs.</summary>
    public double ReasoningOnBenchmarks { get; private set; }
    public TemplateReuseSignal Templates { get; } = new();
    public OutputMaximisingParameters Parameters { get; }
    public QuotaSaturation Quota { get; } = new();
    public InterArrivalRegularity Timing { get; } = new();
    public TopicCoverageSweep Topics { get; } = new();
    public ReleaseSurge Release { get; }
    public ActivityMinutes Activity { get; } = new();
    public RiskHistory History { get; }

    /// <summary>
    /// Followed-up against never-followed openings in embedding space (<see cref="SemanticContrast"/>): created once an
    /// embedder is present, the conversation gates hold back at least <see cref="SemanticEligibleMass"/> and the mass
    /// reaches <see cref="SemanticEligibleTotal"/>.
    /// </summary>
    public SemanticContrast? Semantic { get; private set; }

    /// <summary>
    /// Gate-held mass from which an organisation's openings are sampled for the semantic contrast; its mass must also
    /// reach <see cref="SemanticEligibleTotal"/> (twice the allowance: below it, releasing the gate could not lift the
    /// volume signal by more than a few points, and the sampling costs an embedding every third opening).
    /// </summary>
    public const double SemanticEligibleMass = 100;

    public const double SemanticEligibleTotal = 2 * ExtractionVolume.Allowance;

    /// <summary>
    /// One counted opening in this many is sampled until both sides of the contrast are full (or
    /// <see cref="SemanticFastSamples"/> have been taken: a product rarely followed up fills its followed side slowly), then
    /// one in <see cref="SemanticSlowStride"/> keeps them fresh (an embedding costs a few milliseconds, off the loop).
    /// </summary>
    public const int SemanticStride = 3;

    public const int SemanticSlowStride = 12;

    public const int SemanticFastSamples = 6 * SemanticContrast.Side;

    private long _semanticOpenings;

    internal HashSet<string> KeyIds { get; } = new(StringComparer.Ordinal);
    internal ulong? RegisteredTemplate { get; set; }

    /// <summary>IP-prefix and user-agent hashes already registered for linkage (bounded: rotating through many is itself visible in the count).</summary>
    internal HashSet<ulong> LinkFeatures { get; } = [];
    internal const int MaxLinkFeatures = 32;

    public double OwnScore { get; internal set; }
    public double Score { get; internal set; }
    public double PeakScore { get; internal set; }
    public DateTimeOffset? LastSnapshotAt { get; internal set; }
    public RiskLevel LastLevel { get; internal set; }

    /// <summary>
    /// The organisation's accumulated evidence as an opaque, versioned string (decayed counters and distinct-item
    /// sketches, no prompt text), for a checkpoint store to persist. Read back with <see cref="ImportEvidence"/>; the
    /// counters go on decaying from the time they were written, so a restart neither forgets nor freezes them.
    /// </summary>
    public string? ExportEvidence()
    {
        if (Requests == 0)
        {
            return null;
        }
        var checkpoint = new EvidenceCheckpoint
        {
            Version = EvidenceCheckpoint.CurrentVersion,
            At = _evidenceAt,
            FirstSeen = FirstSeen,
            LastSeen = LastSeen,
            Requests = Requests,
            Instruction = [InstructionGeneration.Hits, InstructionGeneration.Total, InstructionGeneration.AllTimeHits],
            Reasoning = [ReasoningElicitation.Hits, ReasoningElicitation.Total, ReasoningElicitation.AllTimeHits],
            ReasoningOnBenchmarks = ReasoningOnBenchmarks,
            Benchmark = [Benchmark.Hits, Benchmark.Total, Benchmark.AllTimeHits, Benchmark.KnownItemHits, Benchmark.Resamples],
            BenchmarkShaped = Benchmark.DistinctShaped.Export(),
            BenchmarkKnown = Benchmark.DistinctKnown.Export(),
            Volume = [Volume.Requests, Volume.MultiTurn, Volume.Harvested, Volume.Resampled, Volume.Mass, Volume.MassWithoutBenchmarks, Volume.AllTimeHarvested, Volume.Openers, Volume.Continued,
                .. Volume.ClassState],
        };
        return System.Text.Json.JsonSerializer.Serialize(checkpoint, EvidenceCheckpointJson.Default.EvidenceCheckpoint);
    }

    /// <summary>Restores what <see cref="ExportEvidence"/> wrote (an unreadable or unknown version is ignored: the org starts afresh).</summary>
    public bool ImportEvidence(string evidence)
    {
        EvidenceCheckpoint? checkpoint;
        try
        {
            checkpoint = System.Text.Json.JsonSerializer.Deserialize(evidence, EvidenceCheckpointJson.Default.EvidenceCheckpoint);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
        if (checkpoint is not { Version: EvidenceCheckpoint.CurrentVersion } c
            || c.Instruction.Length != 3 || c.Reasoning.Length != 3 || c.Benchmark.Length != 5 || c.Volume.Length is not (7 or LegacyVolumeFields or VolumeFields))
        {
            return false;
        }
        _evidenceAt = c.At;
        FirstSeen = c.FirstSeen;
        LastSeen = c.LastSeen;
        Requests = c.Requests;
        InstructionGeneration.Restore(c.Instruction[0], c.Instruction[1], (long)c.Instruction[2]);
        ReasoningElicitation.Restore(c.Reasoning[0], c.Reasoning[1], (long)c.Reasoning[2]);
        ReasoningOnBenchmarks = c.ReasoningOnBenchmarks;
        Benchmark.Restore(c.Benchmark[0], c.Benchmark[1], (long)c.Benchmark[2], (long)c.Benchmark[3], (long)c.Benchmark[4]);
        Benchmark.DistinctShaped.Import(c.BenchmarkShaped);
        Benchmark.DistinctKnown.Import(c.BenchmarkKnown);
        // Version-1 checkpoints written before conversations were verified have no openings: every request counts as kept.
        Volume.Restore(c.Volume[0], c.Volume[1], c.Volume[2], c.Volume[3], c.Volume[4], c.Volume[5], (long)c.Volume[6],
            c.Volume.Length == VolumeFields ? c.Volume[9..] : null);
        return true;
    }

    /// <summary>
    /// Counts one request. With <paramref name="sampleOpenings"/> (an embedder is registered) returns the opening it
    /// sampled for the semantic contrast, for the engine to embed (its text is not kept here); otherwise null.
    /// </summary>
    internal (ulong Fingerprint, string Text)? Observe(RequestFeatures features, RequestAnalysis analysis, bool sampleOpenings = false)
    {
        if (Requests == 0)
        {
            FirstSeen = features.Timestamp;
            _evidenceAt = features.Timestamp;
        }
        Requests++;
        LastSeen = features.Timestamp > LastSeen ? features.Timestamp : LastSeen;
        if (KeyIds.Count < MaxKeys)
        {
            KeyIds.Add(features.KeyId);
        }
        DecayTo(features.Timestamp);
        var (oneShot, opening) = Conversation(features, analysis);
        var seen = _recentPrompts.AddAndCheck(analysis.RequestHash);
        var resampled = seen && ((features.Temperature ?? 1) >= 0.5 || features.N > 1);
        var instruction = InstructionGeneration.Observe(analysis.InstructionGeneration, InstructionGenerationCue.HitThreshold);
        var reasoning = ReasoningElicitation.Observe(analysis.ReasoningElicitation, ReasoningElicitationCue.HitThreshold);
        var benchmark = Benchmark.Observe(analysis, oneShot, novel: !seen, resampled);
        if (reasoning && benchmark)
        {
            ReasoningOnBenchmarks++;
        }
        var cues = new RequestCues(instruction, reasoning,
            analysis.BenchmarkStyleScore >= BenchmarkStyleCue.HitThreshold, analysis.BenchmarkMatch is not null,
            features.MaxTokens >= _maxTokensCap);
        var added = Volume.Observe(features, analysis, oneShot, novel: !seen, resampled, cues, opening, analysis.Assessment ? Topics.Value : 0);
        var sample = sampleOpenings ? ObserveSemantic(features, oneShot, counted: added.Weight > 0 && !seen) : null;
        if (features.ServedReplyFingerprint != 0)
        {
            _replies.Add(_orgKey, features.ServedReplyFingerprint, added, features.Timestamp);
        }
        Templates.Observe(analysis, features.UserPrompt);
        Parameters.Observe(features, seen);
        Quota.Observe(features.Timestamp, features.TokensPerMinuteLimit, features.TokensRemaining);
        Timing.Observe(features.Timestamp);
        Topics.Observe(analysis.TopicMask);
        Release.Observe(features.Model, features.Timestamp);
        Activity.Mark(features.Timestamp);
        return sample;
    }

    private (ulong Fingerprint, string Text)? ObserveSemantic(RequestFeatures features, bool oneShot, bool counted)
    {
        (ulong, string)? sample = null;
        if (!oneShot)
        {
            Semantic?.FollowedUp(features.PriorReplyFingerprint);
        }
        else if (counted && features.ServedReplyFingerprint != 0 && !string.IsNullOrWhiteSpace(features.UserPrompt)
            && (Semantic is not null || (Volume.GatedAway >= SemanticEligibleMass && Volume.Mass >= SemanticEligibleTotal))
            && _semanticOpenings++ % SemanticStrideNow == 0)
        {
            Semantic ??= new SemanticContrast(_orgKey);
            Semantic.Add(features.ServedReplyFingerprint, features.Timestamp);
            sample = (features.ServedReplyFingerprint, features.UserPrompt);
        }
        if (Semantic is not null)
        {
            Semantic.SettleDue(features.Timestamp);
            Volume.SemanticRelease = Semantic.Release;
        }
        return sample;
    }

    private int SemanticStrideNow =>
        Semantic is { Followed: SemanticContrast.Side, Never: SemanticContrast.Side } || _semanticOpenings >= (long)SemanticFastSamples * SemanticStride
            ? SemanticSlowStride
            : SemanticStride;

    /// <summary>The embedding of an opening sampled earlier (from the engine's embedder).</summary>
    internal void AttachEmbedding(ulong fingerprint, float[] embedding, DateTimeOffset now)
    {
        if (Semantic is not null && Semantic.Attach(fingerprint, embedding, now))
        {
            Volume.SemanticRelease = Semantic.Release;
        }
    }

    /// <summary>
    /// Whether a request stands alone, and the harvest-shaped opening it continues (weight 0: none). Earlier turns count
    /// as a conversation only when the gateway served the assistant turn the client sends back
    /// (<see cref="ServedReplies"/>): a history the client wrote itself — few-shot examples, a pasted
    /// transcript, a fabricated exchange — is part of a one-shot request. With verification off (several replicas each
    /// scoring their own share of the traffic), or while the served replies do not reach back
    /// <see cref="ServedReplies.MinimumHorizon"/> (just after a start, or under traffic that fills a generation faster),
    /// an assistant turn with text is taken at its word, and one exchange before the request marks the continuation of
    /// an opening of average weight.
    /// </summary>
    private (bool OneShot, Opening Opening) Conversation(RequestFeatures features, RequestAnalysis analysis)
    {
        if (features.MessageCount <= 2 || features.PriorReplyFingerprint == 0)
        {
            return (true, default); // system + user is one turn; turns with no assistant text around them are the client's own
        }
        if (analysis.StandaloneTurn)
        {
            return (true, default); // a new task sent as a turn ("Thanks! Next question: …") neither continues nor refunds anything
        }
        var (served, opening) = _verifyConversations ? _replies.Lookup(_orgKey, features.PriorReplyFingerprint) : (false, default);
        if (served)
        {
            return (false, opening);
        }
        if (_verifyConversations && _replies.Remembers(features.Timestamp))
        {
            return (true, default); // the gateway never served this assistant turn: the history is the client's own
        }
        // Unverifiable (verification off, or memory too short to tell): the turn is taken at its word.
        return (false, features.MessageCount <= 4 ? Volume.AverageOpening : default);
    }

    /// <summary>Ages every decayed counter to <paramref name="at"/> (request time; never backwards).</summary>
    private void DecayTo(DateTimeOffset at)
    {
        if (at <= _evidenceAt)
        {
            return;
        }
        var factor = Math.Pow(2, -(at - _evidenceAt).TotalSeconds / _halfLifeSeconds);
        _evidenceAt = at;
        InstructionGeneration.Decay(factor);
        ReasoningElicitation.Decay(factor);
        Benchmark.Decay(factor);
        Volume.Decay(factor);
        ReasoningOnBenchmarks *= factor;
    }
}
