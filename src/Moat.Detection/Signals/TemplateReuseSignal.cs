using Moat.Detection.Sketches;
using Moat.Detection.Text;

namespace Moat.Detection.Signals;

/// <summary>
/// Template reuse with recycled slot content. A support bot or translator reuses one template but fills it with
/// fresh text every time; a self-instruct loop reuses its meta-prompt and refills it from a small seed pool,
/// so its slot lines recur. Only the product of the two is suspicious.
/// </summary>
public sealed class TemplateReuseSignal
{
    public const string Name = "template_reuse";

    /// <summary>A prefix or suffix counts as a template once it has been seen this often.</summary>
    public const int TemplateMinimumCount = 5;

    private readonly HeavyHitters _prefixes = new(8);
    private readonly HeavyHitters _suffixes = new(8);
    private readonly CountMinSketch _lines = new(1024, 3);
    private readonly HyperLogLog _distinctPrompts = new(8);
    private long _requestsWithSlots;
    private double _slotRecurrenceSum;

    public long Total { get; private set; }

    /// <summary>Hash of the dominant template (prefix or suffix) once it is one; used for cross-tenant linkage.</summary>
    public ulong? DominantTemplate { get; private set; }

    public void Observe(RequestAnalysis analysis, string? prompt)
    {
        Total++;
        _distinctPrompts.Add(analysis.PromptHash);
        if (analysis.TokenCount >= 4)
        {
            Track(_prefixes.Add(analysis.PrefixHash), prompt, fromEnd: false);
            Track(_suffixes.Add(analysis.SuffixHash), prompt, fromEnd: true);
        }
        ObserveSlots(analysis.LineHashes);
        var top = TopTemplate();
        DominantTemplate = top is not null && top.Count >= TemplateMinimumCount * 2 && top.Count >= Total / 4 ? top.Key : null;
    }

    private void ObserveSlots(ulong[] lines)
    {
        // A line seen in a large share of requests is template; a line seen a few times before is a recycled slot.
        var templateCount = Math.Max(3, Total * 3 / 10);
        var slots = 0;
        var recurring = 0;
        foreach (var line in lines)
        {
            var before = _lines.Increment(line);
            if (before >= templateCount)
            {
                continue;
            }
            slots++;
            if (before >= 1)
            {
                recurring++;
            }
        }
        if (slots > 0)
        {
            _requestsWithSlots++;
            _slotRecurrenceSum += recurring / (double)slots;
        }
    }

    private static void Track(HeavyHitters.Entry entry, string? prompt, bool fromEnd)
    {
        // The skeleton (a few lower-cased words, digits masked) is kept only once the text has proven to be a template.
        if (entry.Label is null && entry.Count - entry.Error >= TemplateMinimumCount && prompt is not null)
        {
            entry.Label = WordTokenizer.Skeleton(prompt, 6, fromEnd);
        }
    }

    private HeavyHitters.Entry? TopTemplate()
    {
        var prefix = _prefixes.Top();
        var suffix = _suffixes.Top();
        if (prefix is null)
        {
            return suffix;
        }
        if (suffix is null)
        {
            return prefix;
        }
        return prefix.Count - prefix.Error >= suffix.Count - suffix.Error ? prefix : suffix;
    }

    /// <summary>Share of requests that use the dominant template.</summary>
    public double ReuseRatio
    {
        get
        {
            var top = TopTemplate();
            if (top is null || Total == 0 || top.Count - top.Error < TemplateMinimumCount)
            {
                return 0;
            }
            return Math.Min(1, (top.Count - top.Error) / (double)Total);
        }
    }

    /// <summary>Mean share of slot lines that repeat earlier slot lines.</summary>
    public double SlotRecurrence => _requestsWithSlots < 20 ? 0 : _slotRecurrenceSum / _requestsWithSlots;

    /// <summary>Distinct prompts over requests (1 = every prompt unique).</summary>
    public double PromptDiversity => Total == 0 ? 1 : Math.Min(1, _distinctPrompts.Estimate() / Total);

    public double Value => ReuseRatio * SlotRecurrence;

    public SignalReading Read()
    {
        var top = TopTemplate();
        var skeleton = top?.Label ?? "(none)";
        return new SignalReading(Name, SignalKind.Behaviour, Value, (long)Math.Round(ReuseRatio * Total), Total,
            $"{ReuseRatio:P0} of {Total} requests reuse one template \"{skeleton}\"; {SlotRecurrence:P0} of slot lines recycle earlier content; prompt diversity {PromptDiversity:P0}.",
            new Dictionary<string, object>
            {
                ["requests"] = Total,
                ["template_reuse_ratio"] = Math.Round(ReuseRatio, 3),
                ["slot_recurrence"] = Math.Round(SlotRecurrence, 3),
                ["prompt_diversity"] = Math.Round(PromptDiversity, 3),
                ["template_skeleton"] = skeleton,
                ["template_fingerprint"] = top is null ? "" : top.Key.ToString("x16"),
            });
    }
}
