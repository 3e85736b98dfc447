using Microsoft.Extensions.Logging.Abstractions;
using Moat.Provenance;
using Moat.Provenance.Hosting;

namespace Moat.Functional.Tests;

/// <summary>The host opens the provenance index in the background: start-up does not wait, callers do.</summary>
public sealed class BackgroundOpenedIndexTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "moat-bg-index-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private DiskProvenanceIndex OpenDisk() => new(new ProvenanceOptions { Directory = _directory }, TimeProvider.System);

    private static readonly string[] Syllables = ["ka", "lo", "mir", "tes", "van", "dru", "pel", "zon", "quo", "rih", "sab", "nu"];

    /// <summary>An answer of 60 made-up words, different for every n (digits would be masked, so they cannot tell answers apart).</summary>
    private static ServedText Served(int n)
    {
        var random = new Random(n);
        var words = Enumerable.Range(0, 60).Select(_ => string.Concat(Enumerable.Range(0, 3).Select(_ => Syllables[random.Next(Syllables.Length)])));
        return new ServedText("org_1", "key_1", $"req_{n}", "m", DateTimeOffset.UtcNow, "The answer is " + string.Join(' ', words) + ".");
    }

    [Fact]
    public async Task Construction_DoesNotWaitForTheOpen_CallsMadeMeanwhileWaitAndLandAsync()
    {
        using var gate = new ManualResetEventSlim();
        using var index = new BackgroundOpenedIndex(() => { gate.Wait(); return OpenDisk(); }, TimeProvider.System, NullLogger<BackgroundOpenedIndex>.Instance);

        Assert.False(index.IsOpen);
        Assert.Null(index.EntriesIfOpen);
        var adding = Task.Run(() => index.Add(Served(1)));
        await Task.Delay(100);
        Assert.False(adding.IsCompleted);

        gate.Set();
        await adding.WaitAsync(TimeSpan.FromSeconds(30));
        await index.Opened().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(index.IsOpen);
        Assert.Equal(1, index.EntriesIfOpen);
        Assert.Equal("req_1", index.Search(Served(1).Text).Matches.Single().RequestId);
    }

    [Fact]
    public async Task Reopened_EntriesWrittenBeforeAreSearchableOnceOpenAsync()
    {
        using (var first = OpenDisk())
        {
            for (var n = 0; n < 20; n++) first.Add(Served(n));
        }

        using var index = new BackgroundOpenedIndex(OpenDisk, TimeProvider.System, NullLogger<BackgroundOpenedIndex>.Instance);
        Assert.Equal(20, index.Count);
        await index.Opened();
        Assert.Equal("req_7", index.Search(Served(7).Text).Matches[0].RequestId);
    }

    [Fact]
    public async Task OpenFails_EveryCallSeesTheFailure_DisposeDoesNotThrowAsync()
    {
        var index = new BackgroundOpenedIndex(() => throw new UnauthorizedAccessException("no access to the provenance directory"), TimeProvider.System, NullLogger<BackgroundOpenedIndex>.Instance);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(index.Opened);
        Assert.Throws<UnauthorizedAccessException>(() => index.Search("anything"));
        Assert.Throws<UnauthorizedAccessException>(() => index.Add(Served(1)));
        Assert.Null(index.EntriesIfOpen);
        index.Dispose();
    }
}
