namespace Moat.Provenance;

/// <summary>One output as the gateway served it; the text is fingerprinted and then discarded.</summary>
public sealed record ServedText(string OrgId, string KeyId, string RequestId, string Model, DateTimeOffset ServedAt, string Text)
{
    /// <summary>
    /// The request's prompt (instruction, input, system and user messages), if the caller has it. Output words that also
    /// occur in it are stored as non-evidence: text copied from the prompt (a translation, summary or completion of the
    /// given passage) is shared with every other answer to that prompt. Never stored itself.
    /// </summary>
    public string? Prompt { get; init; }
}

/// <summary>One served output that a searched passage is attributed to.</summary>
public sealed record ProvenanceMatch(string OrgId, string KeyId, string RequestId, string Model, DateTimeOffset ServedAt, double Score, double MatchedFraction);

/// <summary>
/// The answer to a provenance search: "attributed" with the matches at or above the attribution threshold; "inconclusive"
/// when the best candidate has some evidence (at least the scan's count threshold) but not enough to name an account, with
/// no matches and those candidates in <see cref="Candidates"/>; or "no_match".
/// </summary>
public sealed record ProvenanceResult(string Verdict, IReadOnlyList<ProvenanceMatch> Matches)
{
    public const string Attributed = "attributed";
    public const string Inconclusive = "inconclusive";
    public const string NoMatch = "no_match";

    /// <summary>Below-threshold candidates of an inconclusive search (never an attribution).</summary>
    public IReadOnlyList<ProvenanceMatch> Candidates { get; init; } = [];
}

/// <summary>An append-only store of served-output fingerprints that answers "who received this passage?".</summary>
public interface IProvenanceIndex : IDisposable
{
    /// <summary>Fingerprints the text and appends the entry (buffered until the next flush). Thread-safe.</summary>
    void Add(ServedText served);

    /// <summary>Makes everything added so far durable.</summary>
    void Flush();

    ProvenanceResult Search(string text, int limit = 10);

    /// <summary>Verified matches scoring at least <paramref name="minScore"/>, best first: the search without its attribution bar.</summary>
    IReadOnlyList<ProvenanceMatch> Rank(string text, int limit, double minScore);

    /// <summary>Live (not expired) entries.</summary>
    long Count { get; }
}
