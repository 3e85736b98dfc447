using Moat.Core.Signals;

namespace Moat.Detection.Signals;

/// <summary>Parameters that get the most output per prompt: n &gt; 1, logprobs, max_tokens at the cap, and re-sampling one prompt at high temperature.</summary>
public sealed class OutputMaximisingParameters(int maxTokensCap)
{
    public const string Name = "output_maximising_parameters";
    public long Total { get; private set; }
    public long MultipleChoices { get; private set; }
    public long Logprobs { get; private set; }
    public long MaxTokensAtCap { get; private set; }
    public long HighTemperatureRepeats { get; private set; }

    /// <summary>Counts one request; <paramref name="seenBefore"/>: the organisation sent this prompt recently.</summary>
    public void Observe(RequestFeatures features, bool seenBefore)
    {
        Total++;
        if (features.N > 1)
        {
            MultipleChoices++;
        }
        if (features.Logprobs)
        {
            Logprobs++;
        }
        if (features.MaxTokens >= maxTokensCap)
        {
            MaxTokensAtCap++;
        }
        if (seenBefore && features.Temperature >= 0.9)
        {
            HighTemperatureRepeats++;
        }
    }

    public double Value
    {
        get
        {
            if (Total < 20)
            {
                return 0;
            }
            var t = (double)Total;
            return Math.Min(1, MultipleChoices / t + Logprobs / t + 0.5 * MaxTokensAtCap / t + HighTemperatureRepeats / t);
        }
    }

    public SignalReading Read() => new(Name, SignalKind.Behaviour, Value, MultipleChoices + Logprobs + MaxTokensAtCap + HighTemperatureRepeats, Total,
        $"Of {Total} requests: {MultipleChoices} with n > 1, {Logprobs} with logprobs, {MaxTokensAtCap} with max_tokens ≥ {maxTokensCap}, {HighTemperatureRepeats} re-sampled a repeated prompt at temperature ≥ 0.9.",
        new Dictionary<string, object>
        {
            ["requests"] = Total,
            ["n_gt_1"] = MultipleChoices,
            ["logprobs"] = Logprobs,
            ["max_tokens_at_cap"] = MaxTokensAtCap,
            ["high_temperature_repeats"] = HighTemperatureRepeats,
        });
}
