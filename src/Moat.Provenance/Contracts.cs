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

/// <summary>The answer to a provenance search: "attributed" with the matches at or above the threshold, or "no_match".</summary>
public sealed record ProvenanceResult(string Verdict, IReadOnlyList<ProvenanceMatch> Matches)
{
    public const string Attributed = "attributed";
    public const string NoMatch = "no_match";
}

/// <summary>An append-only store of served-output fingerprints that answers "who received this passage?".</summary>
public interface IProvenanceIndex : IDisposable
{
    /// <summary>Fingerprints the text and appends the entry (buffered until the next flush). Thread-safe.</summary>
    void Add(ServedText served);

    /// <summary>Makes everything added so far durable.</summary>
    void Flush();

    ProvenanceResult Search(string text, int limit = 10);

    /// <summary>Live (not expired) entries.</summary>
    long Count { get; }
}
