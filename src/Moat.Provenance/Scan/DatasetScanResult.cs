namespace Moat.Provenance.Scan;

/// <summary>The answer to "did this dataset come from one of our accounts?".</summary>
/// <param name="Passages">Passages received (blank ones included).</param>
/// <param name="DistinctPassages">Non-blank passages after exact duplicates (same normal form) were dropped: the n of the test.</param>
/// <param name="AttributedPassages">Distinct passages that counted towards at least one account.</param>
/// <param name="Verdict"><see cref="Attributed"/> when some account's p-value is at most the significance level, else <see cref="Inconclusive"/>.</param>
/// <param name="Accounts">Accounts with at least one counted passage, by p-value ascending.</param>
public sealed record DatasetScanResult(
    long Passages,
    long DistinctPassages,
    long AttributedPassages,
    string Verdict,
    IReadOnlyList<AccountAttribution> Accounts,
    ScanMethod Method)
{
    public const string Attributed = "attributed";
    public const string Inconclusive = "inconclusive";
}

/// <summary>The null model a scan used, reported with every result so it can be checked.</summary>
public sealed record ScanMethod(double CountThreshold, double PassageRate, long CalibrationFalseMatches, long CalibrationNegatives, double Significance, long IndexedOutputs);

/// <summary>One account's share of a dataset.</summary>
/// <param name="Passages">Distinct passages whose best match on this account (each served output used once) scored at least the count threshold.</param>
/// <param name="ExpectedByChance">n × q: the landings a dataset of never-served text this size would show on one account.</param>
/// <param name="PValue">P(Binomial(n, q) ≥ passages).</param>
public sealed record AccountAttribution(
    string OrgId,
    long Passages,
    double ExpectedByChance,
    double PValue,
    IReadOnlyList<string> KeyIds,
    DateTimeOffset FirstServedAt,
    DateTimeOffset LastServedAt,
    IReadOnlyList<ScanExample> Examples);

/// <summary>A passage of the dataset and the served output it matched.</summary>
public sealed record ScanExample(long PassageIndex, string RequestId, string KeyId, string Model, DateTimeOffset ServedAt, double Score, double FalseMatchProbability);

/// <summary>How far a scan has got.</summary>
public readonly record struct ScanProgress(long Scanned, long Total);
