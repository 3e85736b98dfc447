namespace Moat.FakeUpstream;

/// <summary>Behaviour of the fake model server; bound from the "FakeUpstream" configuration section.</summary>
public sealed class FakeUpstreamOptions
{
    public const string SectionName = "FakeUpstream";

    /// <summary>Shortest generated reply, in words. The length within the range is deterministic per prompt.</summary>
    public int MinWords { get; set; } = 40;

    /// <summary>Longest generated reply, in words.</summary>
    public int MaxWords { get; set; } = 160;

    /// <summary>Delay before the response headers are sent.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Delay between streamed chunks.</summary>
    public int ChunkDelayMs { get; set; }

    /// <summary>Words carried by one streamed chunk.</summary>
    public int WordsPerChunk { get; set; } = 1;

    /// <summary>Fraction of model requests answered with <see cref="FailureStatus"/>.</summary>
    public double FailureRate { get; set; }

    /// <summary>Status returned for requests picked by <see cref="FailureRate"/>.</summary>
    public int FailureStatus { get; set; } = 500;

    /// <summary>Fraction of model requests whose connection is aborted before any byte is sent.</summary>
    public double DropRate { get; set; }

    /// <summary>JSONL corpus of <c>{instruction, input?, output, generator?}</c> records answered verbatim.</summary>
    public string? ReplayFile { get; set; }

    /// <summary>When set, only replay records whose <c>generator</c> equals this value are used.</summary>
    public string? ReplayGenerator { get; set; }

    /// <summary>Models listed by <c>/v1/models</c>. Completions accept any model name.</summary>
    public string[] Models { get; set; } = ["fake-model"];

    /// <summary>Length of the vectors returned by <c>/v1/embeddings</c> unless the request asks for <c>dimensions</c>.</summary>
    public int EmbeddingDimensions { get; set; } = 64;

    /// <summary>Seed of the deterministic failure and drop sequence.</summary>
    public int Seed { get; set; }

    /// <summary>When set, model requests must carry <c>Authorization: Bearer &lt;key&gt;</c> or get 401.</summary>
    public string? RequiredApiKey { get; set; }

    internal FakeUpstreamOptions Clone()
    {
        var copy = (FakeUpstreamOptions)MemberwiseClone();
        copy.Models = (string[])Models.Clone();
        return copy;
    }
}
