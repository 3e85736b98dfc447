using System.Text.RegularExpressions;

namespace Moat.Detection.Signals;

/// <summary>
/// Recognises a request to transform material the sender supplied — translate, summarise, rewrite, proofread, classify,
/// label, extract, convert — rather than to produce new content. The answer is bounded by the input: a translation
/// vendor or a labelling shop takes back its own text, which is not extraction however many requests it sends.
/// Read on the sender's own words (<see cref="Text.AuthoredText"/>) and only when there is material to work on.
/// </summary>
public static partial class TransformationCue
{
    /// <summary>Words (instruction and material) a transformation request needs: there must be something to transform.</summary>
    public const int MinimumWords = 16;

    public static bool IsTransformation(string authoredText, int promptWords) =>
        promptWords >= MinimumWords && Instruction().IsMatch(authoredText.Length > 240 ? authoredText[..240] : authoredText);

    /// <summary>
    /// Whether the sender asks for a judgement of material it supplied — grade a transcript against a rubric, score an
    /// essay, review a call, act as a judge of a response. The verdict and its rationale are about the sender's own text
    /// (a support team grading its bot, a school marking essays): bounded like a transformation, though the judgement
    /// itself is the model's, so it weighs a quarter of a new answer rather than nothing.
    /// </summary>
    public static bool IsAssessment(string authoredText, int promptWords) =>
        promptWords >= MinimumWords && Assessment().IsMatch(authoredText.Length > 400 ? authoredText[..400] : authoredText);

    /// <summary>
    /// Whether a user message carries something to judge besides the instruction: a labelled response, answer or
    /// transcript ("Response:", "[The Start of Assistant's Answer]"), or material set apart (fenced, tagged, quoted — what
    /// <see cref="Text.AuthoredText"/> leaves out). Without it, "act as a strict grader" in front of a question is a
    /// persona, not an assessment.
    /// </summary>
    public static bool HasMaterialToJudge(string prompt, string authoredText) =>
        SuppliedAnswer().IsMatch(prompt) || authoredText.Length < 0.8 * prompt.Length;

    [GeneratedRegex(@"(^\s*(\[)?(the start of )?(the )?(response|answer|transcript|essay|submission|output|reply|completion|conversation|candidate|assistant'?s? (a |b )?(answer|response)|student'?s? (answer|response|essay))\b[^\n]{0,20}[:\]][ \t]*\n?[ \t]*\S+([ \t]+\S+){4})", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex SuppliedAnswer();

    [GeneratedRegex(@"((^|[.!?:\n]\s*|\bplease |\byour (task|job) is to |\byou will )(grade|mark|score|rate|evaluate|assess|review|critique|judge) (the|this|each|every|these|following|below)\b|\brubric|\bqa (review|reviewer|check)|\bquality (review|reviewer|check|assurance)|\b(act as|you are) an? (impartial |strict |fair |expert |careful )?(\w+ )?(judge|grader|reviewer|evaluator|examiner|marker))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Assessment();

    /// <summary>
    /// Whether the sender's text reads as a request of its own (a question, or an imperative such as "Write…",
    /// "Explain…"): then a transforming system prompt does not make it material — a "translator" persona does not
    /// launder a harvest of essays.
    /// </summary>
    public static bool LooksLikeRequest(string authoredText)
    {
        var text = authoredText.AsSpan().TrimStart();
        return text.TrimEnd().EndsWith('?') || RequestOpening().IsMatch(authoredText);
    }

    [GeneratedRegex(@"^\s*(please\s+)?(write|explain|describe|give|list|create|generate|tell|what|how|why|who|when|where|which|can|could|would|compose|draft|design|solve|compare|discuss|outline|provide|produce|answer|think|reason|show|derive|prove|develop|invent|come up|brainstorm|suggest|plan)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RequestOpening();

    [GeneratedRegex(@"\b(translate|translator|translation of|translations? into|locali[sz]e|summari[sz]e|summary of|tl;?dr|rewrite|re-write|rephrase|paraphrase|proofread|correct (the )?(grammar|spelling|errors)|fix (the )?(grammar|spelling|typos)|copy-?edit|classify|classifier|categori[sz]e|label|labell?er|tag|annotate|annotator|extract|redact|anonymi[sz]e|convert|reformat|format (this|the following)|transcribe|detect the language|sentiment of|sentiment:|(source|target)[ _-]?lang(uage)?|lang\s*=|codebook|coding (open-ended |the )?(responses|answers|comments)|assign (all )?(applicable |the |a |one or more )?(codes?|categor(y|ies)|labels?|tags?))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Instruction();

    /// <summary>
    /// Whether the sender asks for a label rather than an answer ("reply with the code numbers only", "answer with just
    /// the letter", "output only the category"): what comes back is a few tokens, not text worth keeping.
    /// </summary>
    public static bool AsksForLabel(string? authoredText) =>
        !string.IsNullOrEmpty(authoredText) && LabelOnly().IsMatch(authoredText);

    [GeneratedRegex(@"\b((reply|respond|answer|output|return)( with)? (only|just) (the |a |one )?(codes?|code numbers?|labels?|numbers?|categor(y|ies)|letters?|word|digit|class)|(codes?|code numbers|labels?|categor(y|ies)|letters?) only\b|(reply|respond|answer|output|return) (with )?(the )?(codes?|code numbers|labels?|categor(y|ies)|letters?) only)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LabelOnly();
}
