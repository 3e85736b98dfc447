using Microsoft.Extensions.Options;

namespace Moat.FakeUpstream;

/// <summary>Rejects option values the server cannot honour, at start and on live changes.</summary>
internal sealed class FakeUpstreamOptionsValidator : IValidateOptions<FakeUpstreamOptions>
{
    public ValidateOptionsResult Validate(string? name, FakeUpstreamOptions options)
    {
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static List<string> Check(FakeUpstreamOptions options)
    {
        var failures = new List<string>();
        if (options.MinWords < 1)
        {
            failures.Add("MinWords must be at least 1.");
        }

        if (options.MaxWords < options.MinWords)
        {
            failures.Add("MaxWords must be at least MinWords.");
        }

        if (options.LatencyMs < 0 || options.ChunkDelayMs < 0)
        {
            failures.Add("LatencyMs and ChunkDelayMs must not be negative.");
        }

        if (options.WordsPerChunk < 1)
        {
            failures.Add("WordsPerChunk must be at least 1.");
        }

        if (options.FailureRate is < 0 or > 1 || options.DropRate is < 0 or > 1)
        {
            failures.Add("FailureRate and DropRate must be between 0 and 1.");
        }

        if (options.FailureStatus is < 400 or > 599)
        {
            failures.Add("FailureStatus must be an HTTP error status (400-599).");
        }

        if (options.Models is null || options.Models.Length == 0)
        {
            failures.Add("Models must list at least one model.");
        }

        if (options.EmbeddingDimensions is < 1 or > 65536)
        {
            failures.Add("EmbeddingDimensions must be between 1 and 65536.");
        }

        return failures;
    }
}
