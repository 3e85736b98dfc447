namespace Moat.Provenance;

/// <summary>Settings of the provenance index; the defaults are the ones calibrated in docs/provenance-eval.md.</summary>
public sealed class ProvenanceOptions
{
    /// <summary>Folder of the segment files.</summary>
    public string Directory { get; set; } = "data/provenance";

    /// <summary>Entries served longer ago than this are not matched, and whole segments past it are deleted.</summary>
    public int RetentionDays { get; set; } = 365;

    /// <summary>
    /// Minimum score for the "attributed" verdict. The score combines two signals per candidate, each less its best
    /// rival's score on the same part of the passage: A, the in-order alignment of content words (matches minus skipped
    /// and substituted words and segment jumps), and S, the densest run of shared word 3-gram shingles (−log10 of a Chernoff bound):
    /// score = max(A + ShingleWeight × S, S × AttributionThreshold / ShingleThreshold). Calibrated on the dev split
    /// (docs/provenance-eval.md): the best paraphrase recall with never-served answers to served instructions attributed
    /// no more often than before (round 4: 28 with substitutions in the alignment; round 3 was 24 without).
    /// </summary>
    public double AttributionThreshold { get; set; } = 28.0;

    /// <summary>Weight of the shingle score S added to the alignment score A (see <see cref="AttributionThreshold"/>).</summary>
    public double ShingleWeight { get; set; } = 1.5;

    /// <summary>How often buffered entries are written and fsynced; a crash loses at most this window.</summary>
    public int FlushIntervalMs { get; set; } = 1000;

    /// <summary>A segment is closed once it is this large (it is also closed when the UTC day changes).</summary>
    public long MaxSegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Content words per shingle (stop words and placeholders are skipped before shingling).</summary>
    public int ShingleSize { get; set; } = 3;

    /// <summary>Keep a shingle only when its hash is 0 mod this; 1 keeps all. Trades disk and RAM for evidence.</summary>
    public int SamplingModulus { get; set; } = 2;

    /// <summary>Shingle content words only, so edits to function words do not break fingerprints.</summary>
    public bool SkipStopWords { get; set; }

    /// <summary>Winnowing window over shingle hashes (0 = off, use 0 mod p sampling only). Kept for the evaluation sweep.</summary>
    public int WinnowingWindow { get; set; }

    /// <summary>
    /// The share of a passage's fingerprints that an output never shown to the passage's author still contains
    /// (same topic, common phrases); the null hypothesis of the score.
    /// </summary>
    public double BackgroundMatchRate { get; set; } = 0.12;

    /// <summary>Candidates with fewer shared fingerprints are not verified.</summary>
    public int MinMatches { get; set; } = 3;

    /// <summary>A matched span is counted as at least this many query fingerprints, so a few adjacent hits cannot look dense.</summary>
    public int MinSpan { get; set; } = 12;

    /// <summary>Matches further apart than this (in query fingerprints) belong to different clusters, i.e. different excerpts.</summary>
    public int ClusterGap { get; set; } = 24;

    /// <summary>Fingerprints shared by more entries than this are too common to be evidence and are skipped by search.</summary>
    public int MaxPostingsPerFingerprint { get; set; } = 1_024;

    /// <summary>Candidates (by raw shared-fingerprint count) that reach verification.</summary>
    public int MaxCandidates { get; set; } = 64;

    /// <summary>Alignment: cost of skipping one content word of the query or of the stored output (a match earns 1).</summary>
    public double GapPenalty { get; set; } = 1.0;

    /// <summary>
    /// Alignment: cost of a substitution, i.e. both sides advancing past words that differ (a synonym in place of a word).
    /// A paraphrase keeps its words in lockstep with the source, another model's answer does not, so a substitution costs
    /// far less than the two skips it replaces. 2 × <see cref="GapPenalty"/> or more turns the move off (round 3).
    /// Chosen on the dev split (docs/provenance-eval.md, round 4).
    /// </summary>
    public double MismatchPenalty { get; set; } = 0.5;

    /// <summary>Alignment: cost of jumping ahead in the query to start another aligned segment (shuffled or quoted parts).</summary>
    public double JumpPenalty { get; set; } = 8.0;

    /// <summary>
    /// Share of the best other candidate's score (aligned to the same part of the query) subtracted from a candidate's:
    /// text that several served outputs share is evidence of the topic, not of one source. 0 turns it off.
    /// </summary>
    public double CompetitorDiscount { get; set; } = 1.0;

    /// <summary>Content words stored per output (2 bytes each); longer outputs are verified on their first this-many.</summary>
    public int MaxWordsPerOutput { get; set; } = 2048;

    /// <summary>
    /// Also store and search word 3-gram shingle fingerprints (round 1's signal) next to the content-word codes. They win
    /// on exact copies, short excerpts and shuffled sentences, where alignment has too few content words to score.
    /// </summary>
    public bool UseShingles { get; set; } = true;

    /// <summary>
    /// Shingle score S that attributes on its own, whatever the alignment says (short excerpts and shuffled sentences,
    /// where alignment has too few content words in order to score).
    /// </summary>
    public double ShingleThreshold { get; set; } = 12.0;

    /// <summary>Rival discount applied to the shingle score (as <see cref="CompetitorDiscount"/> to the alignment score).</summary>
    public double ShingleCompetitorDiscount { get; set; } = 1.0;

    /// <summary>Rivals holding the same text (or matching the same keys equally well) are not discounted (evaluation switch).</summary>
    internal bool ReportIdenticalRivals { get; set; } = true;

    /// <summary>Flag output words that also occur in <see cref="ServedText.Prompt"/> as non-evidence (on by default).</summary>
    public bool UsePrompt { get; set; } = true;

    /// <summary>Dataset attribution (<c>POST /admin/v1/provenance/scan</c>): the null model's calibration and limits.</summary>
    public Scan.ProvenanceScanOptions Scan { get; set; } = new();

    internal FingerprintSettings FingerprintSettings() => new(ShingleSize, SamplingModulus, SkipStopWords, WinnowingWindow);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory)) throw new ArgumentException("Directory is required.", nameof(Directory));
        if (RetentionDays < 1) throw new ArgumentOutOfRangeException(nameof(RetentionDays), "RetentionDays must be at least 1.");
        if (FlushIntervalMs < 1) throw new ArgumentOutOfRangeException(nameof(FlushIntervalMs), "FlushIntervalMs must be at least 1.");
        if (ShingleSize is < 1 or > 8) throw new ArgumentOutOfRangeException(nameof(ShingleSize), "ShingleSize must be 1..8.");
        if (SamplingModulus < 1) throw new ArgumentOutOfRangeException(nameof(SamplingModulus), "SamplingModulus must be at least 1.");
        if (BackgroundMatchRate is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(BackgroundMatchRate), "BackgroundMatchRate must be in (0, 1).");
        if (ShingleWeight < 0) throw new ArgumentOutOfRangeException(nameof(ShingleWeight), "ShingleWeight must not be negative.");
        if (ShingleThreshold <= 0) throw new ArgumentOutOfRangeException(nameof(ShingleThreshold), "ShingleThreshold must be positive.");
        if (GapPenalty < 0) throw new ArgumentOutOfRangeException(nameof(GapPenalty), "GapPenalty must not be negative.");
        if (MismatchPenalty < 0) throw new ArgumentOutOfRangeException(nameof(MismatchPenalty), "MismatchPenalty must not be negative.");
        if (JumpPenalty < 0) throw new ArgumentOutOfRangeException(nameof(JumpPenalty), "JumpPenalty must not be negative.");
        if (MaxWordsPerOutput < 1) throw new ArgumentOutOfRangeException(nameof(MaxWordsPerOutput), "MaxWordsPerOutput must be at least 1.");
        if (MaxSegmentBytes < 4096) throw new ArgumentOutOfRangeException(nameof(MaxSegmentBytes), "MaxSegmentBytes must be at least 4096.");
        Scan.Validate();
    }
}
