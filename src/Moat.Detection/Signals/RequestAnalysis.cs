using Moat.Core.Signals;
using Moat.Detection.Benchmarks;
using Moat.Detection.Sketches;
using Moat.Detection.Text;

namespace Moat.Detection.Signals;

/// <summary>What one request contributes to the sketches: hashes and cue scores only, no text beyond the request's lifetime.</summary>
public sealed class RequestAnalysis
{
    public const int SkeletonWords = 8;
    public const int MaxLines = 64;
    public const int MaxBenchmarkCharacters = 3_000;

    public ulong PromptHash { get; private init; }

    /// <summary>
    /// The last user turn together with the one before it (when the request carries one): what makes a request new. A
    /// history the client writes itself can carry the task in an earlier turn and end on the same fixed instruction
    /// every time ("Tool result: … Now write the complete answer").
    /// </summary>
    public ulong RequestHash { get; private init; }
    public ulong PrefixHash { get; private init; }
    public ulong SuffixHash { get; private init; }
    public int TokenCount { get; private init; }
    public ulong[] LineHashes { get; private init; } = [];
    public double InstructionGeneration { get; private init; }
    public double ReasoningElicitation { get; private init; }

    /// <summary>Asks to transform supplied material (translate, summarise, classify…), not to produce new content.</summary>
    public bool Transformation { get; private init; }

    /// <summary>Asks for a judgement (grade, score, review) of material the sender supplied (<see cref="TransformationCue.IsAssessment"/>).</summary>
    public bool Assessment { get; private init; }

    /// <summary>The sender (user text or system prompt) asks for a label only: a few tokens come back.</summary>
    public bool LabelOnly { get; private init; }

    /// <summary>
    /// The request carries earlier turns but its user message is a new task that shares nothing with them
    /// (<see cref="FollowUpRelevance"/>): it stands alone however it is wrapped.
    /// </summary>
    public bool StandaloneTurn { get; private init; }
    public BenchmarkStyle BenchmarkStyle { get; private init; }
    public double BenchmarkStyleScore { get; private init; }
    public BenchmarkMatch? BenchmarkMatch { get; private init; }
    public int TopicMask { get; private init; }
    public ulong IpPrefixHash { get; private init; }
    public string? IpPrefix { get; private init; }
    public ulong UserAgentHash { get; private init; }

    /// <summary>Analyses one request. Not thread-safe (reuses a token buffer); the engine calls it from one loop.</summary>
    public static RequestAnalysis Create(RequestFeatures features, BenchmarkIndex index, List<ulong> tokenBuffer)
    {
        var prompt = features.UserPrompt ?? "";
        tokenBuffer.Clear();
        WordTokenizer.Tokenize(prompt, tokenBuffer, maskNumbers: true);
        var count = tokenBuffer.Count;
        ulong prefix = StableHash.Seed, suffix = StableHash.Seed;
        for (var i = 0; i < Math.Min(SkeletonWords, count); i++)
        {
            prefix = StableHash.Combine(prefix, tokenBuffer[i]);
            suffix = StableHash.Combine(suffix, tokenBuffer[count - 1 - i]);
        }
        var topics = 0;
        for (var i = 0; i < count; i++)
        {
            var topic = TopicLexicon.TopicOf(tokenBuffer[i]);
            if (topic >= 0)
            {
                topics |= 1 << topic;
            }
        }
        // Benchmark items are short; a long prompt that contains one is a document about it, not a question.
        // Instruction and reasoning cues read what the sender wrote, not the material pasted in (AuthoredText).
        var authored = AuthoredText.ForCues(prompt);
        // The instruction to transform may sit in the system prompt ("You are a professional translator…"): then the
        // user message is the material itself.
        var material = count >= TransformationCue.MinimumWords && !TransformationCue.LooksLikeRequest(authored);
        var transformation = TransformationCue.IsTransformation(authored, count)
            || (material && TransformationCue.IsTransformation(features.SystemPrompt ?? "", int.MaxValue));
        // Likewise a grader's rubric in the system prompt, with the transcript to grade as the user message.
        var instructionGeneration = InstructionGenerationCue.Score(authored);
        var assessment = !transformation && instructionGeneration < InstructionGenerationCue.HitThreshold
            && ((TransformationCue.IsAssessment(authored, count) && TransformationCue.HasMaterialToJudge(prompt, authored))
                || (material && TransformationCue.IsAssessment(features.SystemPrompt ?? "", int.MaxValue)));
        // Benchmark items are short; a long prompt that contains one, or material to translate or classify, is not a question.
        var (style, styleScore) = prompt.Length <= MaxBenchmarkCharacters && !transformation && !assessment ? BenchmarkStyleCue.Classify(prompt) : (BenchmarkStyle.None, 0);
        BenchmarkMatch? match = null;
        if (index.Count > 0 && count >= 8)
        {
            // Exact numbers distinguish benchmark items, so the lookup re-tokenises without masking.
            tokenBuffer.Clear();
            WordTokenizer.Tokenize(prompt, tokenBuffer, maskNumbers: false);
            match = index.Find(MinHashSignature.FromTokens(tokenBuffer));
        }
        var (ipPrefix, ipHash) = IpPrefixOf(features.ClientIp);
        var promptHash = StableHash.OfNormalized(prompt);
        return new RequestAnalysis
        {
            PromptHash = promptHash,
            RequestHash = string.IsNullOrEmpty(features.PriorUserPrompt) ? promptHash : StableHash.Combine(promptHash, StableHash.OfNormalized(features.PriorUserPrompt)),
            PrefixHash = StableHash.Mix(prefix),
            SuffixHash = StableHash.Mix(suffix ^ 0x51AFD7ED558CCD1UL),
            TokenCount = count,
            LineHashes = HashLines(prompt),
            InstructionGeneration = instructionGeneration,
            ReasoningElicitation = ReasoningElicitationCue.Score(authored, AuthoredText.ForCues(features.SystemPrompt)),
            Transformation = transformation,
            Assessment = assessment,
            LabelOnly = TransformationCue.AsksForLabel(authored) || TransformationCue.AsksForLabel(features.SystemPrompt),
            StandaloneTurn = features.MessageCount > 2 && FollowUpRelevance.IsStandalone(prompt, features.PriorUserPrompt, features.PriorReply),
            BenchmarkStyle = style,
            BenchmarkStyleScore = styleScore,
            BenchmarkMatch = match,
            TopicMask = topics,
            IpPrefix = ipPrefix,
            IpPrefixHash = ipHash,
            UserAgentHash = string.IsNullOrEmpty(features.UserAgent) ? 0 : StableHash.Of(features.UserAgent),
        };
    }

    private static ulong[] HashLines(string prompt)
    {
        var hashes = new List<ulong>();
        foreach (var range in prompt.AsSpan().Split('\n'))
        {
            var line = prompt.AsSpan(range).Trim();
            if (line.Length >= 4)
            {
                hashes.Add(StableHash.OfNormalized(line));
                if (hashes.Count == MaxLines)
                {
                    break;
                }
            }
        }
        return [.. hashes];
    }

    /// <summary>The /24 (IPv4) or /48 (IPv6) prefix: addresses a tenant rotates through usually share it.</summary>
    internal static (string? Prefix, ulong Hash) IpPrefixOf(string? ip)
    {
        if (string.IsNullOrEmpty(ip) || !System.Net.IPAddress.TryParse(ip, out var address))
        {
            return (null, 0);
        }
        var bytes = address.GetAddressBytes();
        string prefix;
        if (bytes.Length == 4)
        {
            prefix = $"{bytes[0]}.{bytes[1]}.{bytes[2]}.0/24";
        }
        else
        {
            prefix = $"{Convert.ToHexStringLower(bytes.AsSpan(0, 6))}::/48";
        }
        return (prefix, StableHash.Of(prefix));
    }
}
