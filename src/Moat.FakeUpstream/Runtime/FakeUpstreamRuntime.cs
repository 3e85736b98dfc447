using Microsoft.Extensions.Options;
using Moat.FakeUpstream.Replay;

namespace Moat.FakeUpstream.Runtime;

/// <summary>Holds the live configuration snapshot; <c>POST /_fake/config</c> replaces it atomically.</summary>
internal sealed class FakeUpstreamRuntime
{
    private readonly Lock _gate = new();
    private volatile FakeUpstreamSnapshot _current;

    public FakeUpstreamRuntime(IOptions<FakeUpstreamOptions> options)
    {
        var initial = options.Value.Clone();
        _current = new FakeUpstreamSnapshot(initial, LoadReplay(initial));
    }

    public FakeUpstreamSnapshot Current => _current;

    /// <summary>Validates and publishes <paramref name="next"/>; returns the problems instead when it is invalid.</summary>
    public IReadOnlyList<string> TryApply(FakeUpstreamOptions next)
    {
        var failures = FakeUpstreamOptionsValidator.Check(next);
        if (failures.Count > 0)
        {
            return failures;
        }

        lock (_gate)
        {
            var previous = _current;
            ReplayCorpus? replay;
            if (next.ReplayFile == previous.Options.ReplayFile && next.ReplayGenerator == previous.Options.ReplayGenerator)
            {
                replay = previous.Replay;
            }
            else
            {
                try
                {
                    replay = LoadReplay(next);
                }
                catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    return [$"ReplayFile could not be loaded: {e.Message}"];
                }
            }

            _current = new FakeUpstreamSnapshot(next, replay);
            return [];
        }
    }

    private static ReplayCorpus? LoadReplay(FakeUpstreamOptions options) =>
        string.IsNullOrWhiteSpace(options.ReplayFile) ? null : ReplayCorpus.Load(options.ReplayFile, options.ReplayGenerator);
}
