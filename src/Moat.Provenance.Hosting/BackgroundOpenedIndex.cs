using Microsoft.Extensions.Logging;
using Moat.Provenance;

namespace Moat.Provenance.Hosting;

/// <summary>
/// Opens the on-disk index on a background thread, so the host starts serving model traffic at once instead of waiting
/// for every segment to be read and the posting lists to be built (≈ 24 s at a million outputs; docs/provenance-scale.md).
/// Until the index is open, <see cref="Add"/>, <see cref="Flush"/>, searches and <see cref="Count"/> wait for it (the
/// ingestor's queue holds what is served meanwhile), and <see cref="EntriesIfOpen"/> answers without waiting. A failure
/// to open surfaces on the next call, as it would have at start.
/// </summary>
public sealed partial class BackgroundOpenedIndex : IProvenanceIndex
{
    private readonly Task<IProvenanceIndex> _opening;

    public BackgroundOpenedIndex(Func<IProvenanceIndex> open, TimeProvider time, ILogger<BackgroundOpenedIndex> logger)
    {
        ArgumentNullException.ThrowIfNull(open);
        _opening = Task.Run(() =>
        {
            var started = time.GetTimestamp();
            try
            {
                var index = open();
                Opened(logger, index.Count, time.GetElapsedTime(started).TotalSeconds);
                return index;
            }
            catch (Exception ex)
            {
                OpenFailed(logger, ex);
                throw;
            }
        });
    }

    /// <summary>True once the index is open and searchable.</summary>
    public bool IsOpen => _opening.IsCompletedSuccessfully;

    /// <summary>Completes when the index is open (or failed to open).</summary>
    public Task Opened() => _opening;

    /// <summary>Live entries, or null while the index is still opening (for gauges, which must not wait).</summary>
    public long? EntriesIfOpen => _opening.IsCompletedSuccessfully ? _opening.Result.Count : null;

    public long Count => Index.Count;

    private IProvenanceIndex Index => _opening.GetAwaiter().GetResult();

    public void Add(ServedText served) => Index.Add(served);

    public void Flush() => Index.Flush();

    public ProvenanceResult Search(string text, int limit = 10) => Index.Search(text, limit);

    public IReadOnlyList<ProvenanceMatch> Rank(string text, int limit, double minScore) => Index.Rank(text, limit, minScore);

    public void Dispose()
    {
        // An index still opening is disposed once open; one that failed to open holds nothing.
        try
        {
            _opening.Wait();
        }
        catch (AggregateException)
        {
            return;
        }

        _opening.Result.Dispose();
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Provenance index open: {Entries} entries in {Seconds:F1} s")]
    private static partial void Opened(ILogger logger, long entries, double seconds);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Critical, Message = "The provenance index could not be opened; indexing and search will fail")]
    private static partial void OpenFailed(ILogger logger, Exception exception);
}
