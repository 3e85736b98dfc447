namespace Moat.Detection.Signals;

/// <summary>Even coverage of many topic areas at volume: how a distiller samples the space of tasks.</summary>
public sealed class TopicCoverageSweep
{
    public const string Name = "topic_coverage_sweep";
    private readonly long[] _counts = new long[TopicLexicon.Names.Length];

    public long Total { get; private set; }

    public void Observe(int topicMask)
    {
        Total++;
        for (var topic = 0; topic < _counts.Length; topic++)
        {
            if ((topicMask & (1 << topic)) != 0)
            {
                _counts[topic]++;
            }
        }
    }

    public (int Covered, double Evenness) Coverage()
    {
        long sum = 0;
        foreach (var c in _counts)
        {
            sum += c;
        }
        if (sum == 0)
        {
            return (0, 0);
        }
        double entropy = 0;
        var covered = 0;
        foreach (var c in _counts)
        {
            if (c == 0)
            {
                continue;
            }
            var p = c / (double)sum;
            entropy -= p * Math.Log(p);
            if (p >= 0.02)
            {
                covered++;
            }
        }
        return (covered, entropy / Math.Log(_counts.Length));
    }

    public double Value
    {
        get
        {
            if (Total < 100)
            {
                return 0;
            }
            var (covered, evenness) = Coverage();
            return Math.Clamp((covered - 8) / 6.0, 0, 1) * Math.Clamp((evenness - 0.6) / 0.3, 0, 1);
        }
    }

    public SignalReading Read()
    {
        var (covered, evenness) = Coverage();
        return new(Name, SignalKind.Behaviour, Value, covered, Total,
            $"{covered} of {TopicLexicon.Names.Length} topic areas covered over {Total} requests, evenness {evenness:F2}.",
            new Dictionary<string, object> { ["requests"] = Total, ["topics_covered"] = covered, ["evenness"] = Math.Round(evenness, 3) });
    }
}
