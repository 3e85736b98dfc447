namespace Moat.Provenance.Scan;

/// <summary>
/// Settings of dataset attribution (<c>Moat:Provenance:Scan</c>). The calibration counts are measured by
/// <c>bench/Moat.Provenance.Eval --datasets</c> on never-served answers of models held out of the index
/// (docs/provenance-scan.md); an operator can re-measure them on their own index and set them here.
/// </summary>
public sealed class ProvenanceScanOptions
{
    /// <summary>
    /// A passage counts towards an account when its best match there scores at least this (below the search's attribution
    /// bar). 14 was chosen on the dev split as the score that maximised dev dataset-trial attribution of 30%-substituted
    /// outputs at k = 10, 20, 40 mixed 1:1 with never-served text (docs/provenance-scan-eval.md).
    /// </summary>
    public double CountThreshold { get; set; } = 14.0;

    /// <summary>
    /// Never-served passages that scored at least <see cref="CountThreshold"/> on some account in the calibration, and
    /// <see cref="NullNegatives"/> the passages searched, as the independent sample they are worth: 508 of 19,982 passages
    /// (dev 244 / 9,968 + test 264 / 10,014 — answers of four held-out models to the questions the index was asked, as full
    /// answers, 50-word windows, reformatted and 30%-substituted) land, but an answer's windows and copies land together,
    /// so n is the effective sample size from the cluster-robust variance over source answers (Kish's design effect)
    /// and x = ⌈p·n⌉: 210 / 8,243, q = 2.85e-2 (docs/provenance-scan-eval.md, scorer round 4). Counted as independent, the
    /// dev bound did not cover the test rate. The same measurement on an index where each question was served once
    /// (no rival answers) gives a lower rate at this score (237 / 12,871, q = 2.05e-2), so this is the larger of the two.
    /// </summary>
    public long NullFalseMatches { get; set; } = 210;

    /// <summary>The calibration's effective sample size (see <see cref="NullFalseMatches"/>).</summary>
    public long NullNegatives { get; set; } = 8_243;

    /// <summary>The dataset verdict is "attributed" when some account's p-value is at most this.</summary>
    public double Significance { get; set; } = 1e-6;

    /// <summary>Matched examples kept per account.</summary>
    public int MaxExamples { get; set; } = 20;

    /// <summary>Candidates read per passage (each account's best unused served output counts).</summary>
    public int CandidatesPerPassage { get; set; } = 20;

    /// <summary>Passages accepted in one JSON body (<c>{"passages": […]}</c>).</summary>
    public int MaxJsonPassages { get; set; } = 10_000;

    /// <summary>Passages accepted in one uploaded file (JSONL, CSV or plain text).</summary>
    public int MaxUploadPassages { get; set; } = 1_000_000;

    /// <summary>Largest uploaded file (bytes) the scan routes read.</summary>
    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>
    /// Largest JSON dataset (bytes), as a body or as a <c>.json</c> file in a form: JSON is parsed whole, so it has a
    /// ceiling of its own far below a streamed upload's.
    /// </summary>
    public long MaxJsonBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Passages are searched on this many threads (0: one per core).</summary>
    public int Parallelism { get; set; }

    /// <summary>
    /// Per-passage false-match calibration: x of n never-served passages scored at least this much on some account. The
    /// search reports the upper bound at the highest point a match reaches as its <c>false_match_probability</c>.
    /// </summary>
    /// <remarks>Empty (the default): <see cref="DefaultCalibration"/>, measured by the evaluation. A configured table replaces it whole.</remarks>
    public List<CalibrationPoint> FalseMatchCalibration { get; set; } = [];

    /// <summary>
    /// The shipped per-passage calibration (bench/Moat.Provenance.Eval --datasets; docs/provenance-scan-eval.md, scorer
    /// round 4): of the never-served passages (held-out models' answers to the questions the index was asked, full,
    /// 50-word windows, reformatted, 30%-substituted; dev and test pooled), the share that scored at least the score on
    /// some account, as x of an effective sample n (cluster-robust over source answers, as <see cref="NullFalseMatches"/>).
    /// Measured twice — on an index where every question was answered for several accounts (rivals to discount against)
    /// and on one where each question was served once — and each point is the measurement with the larger bound: up to 24
    /// the rival index (19,982 passages), from 30 the single-served one (35,688 passages), where a never-served near-copy
    /// has no rival to be discounted against.
    /// </summary>
    public static IReadOnlyList<CalibrationPoint> DefaultCalibration { get; } =
    [
        new() { Score = 4, FalseMatches = 2_543, Negatives = 8_220 },
        new() { Score = 6, FalseMatches = 1_188, Negatives = 7_674 },
        new() { Score = 8, FalseMatches = 695, Negatives = 7_792 },
        new() { Score = 10, FalseMatches = 433, Negatives = 8_012 },
        new() { Score = 12, FalseMatches = 301, Negatives = 8_187 },
        new() { Score = 14, FalseMatches = 210, Negatives = 8_243 },
        new() { Score = 16, FalseMatches = 149, Negatives = 8_375 },
        new() { Score = 20, FalseMatches = 82, Negatives = 8_649 },
        new() { Score = 24, FalseMatches = 54, Negatives = 9_061 },
        new() { Score = 30, FalseMatches = 45, Negatives = 13_653 },
        new() { Score = 40, FalseMatches = 27, Negatives = 14_669 },
        new() { Score = 50, FalseMatches = 22, Negatives = 15_500 },
        new() { Score = 60, FalseMatches = 15, Negatives = 17_560 },
        new() { Score = 80, FalseMatches = 6, Negatives = 17_851 },
    ];

    /// <summary>The calibration in force: the configured table, or <see cref="DefaultCalibration"/> when none is configured.</summary>
    public IReadOnlyList<CalibrationPoint> EffectiveCalibration => FalseMatchCalibration.Count > 0 ? FalseMatchCalibration : DefaultCalibration;

    internal void Validate()
    {
        if (CountThreshold <= 0) throw new ArgumentOutOfRangeException(nameof(CountThreshold), "Scan:CountThreshold must be positive.");
        if (NullNegatives < 1) throw new ArgumentOutOfRangeException(nameof(NullNegatives), "Scan:NullNegatives must be at least 1.");
        if (NullFalseMatches < 0 || NullFalseMatches > NullNegatives)
        {
            throw new ArgumentOutOfRangeException(nameof(NullFalseMatches), "Scan:NullFalseMatches must be between 0 and Scan:NullNegatives.");
        }
        if (Significance is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Significance), "Scan:Significance must be in (0, 1).");
        if (MaxExamples < 1) throw new ArgumentOutOfRangeException(nameof(MaxExamples), "Scan:MaxExamples must be at least 1.");
        if (CandidatesPerPassage < 1) throw new ArgumentOutOfRangeException(nameof(CandidatesPerPassage), "Scan:CandidatesPerPassage must be at least 1.");
        if (MaxJsonPassages < 1) throw new ArgumentOutOfRangeException(nameof(MaxJsonPassages), "Scan:MaxJsonPassages must be at least 1.");
        if (MaxUploadPassages < 1) throw new ArgumentOutOfRangeException(nameof(MaxUploadPassages), "Scan:MaxUploadPassages must be at least 1.");
        if (MaxUploadBytes < 1024) throw new ArgumentOutOfRangeException(nameof(MaxUploadBytes), "Scan:MaxUploadBytes must be at least 1024.");
        if (MaxJsonBytes < 1024) throw new ArgumentOutOfRangeException(nameof(MaxJsonBytes), "Scan:MaxJsonBytes must be at least 1024.");
        if (Parallelism < 0) throw new ArgumentOutOfRangeException(nameof(Parallelism), "Scan:Parallelism must not be negative.");
        foreach (var point in EffectiveCalibration)
        {
            if (point.Negatives < 1 || point.FalseMatches < 0 || point.FalseMatches > point.Negatives)
            {
                throw new ArgumentOutOfRangeException(nameof(FalseMatchCalibration), "Scan:FalseMatchCalibration points need 0 <= FalseMatches <= Negatives and Negatives >= 1.");
            }
        }
    }
}
