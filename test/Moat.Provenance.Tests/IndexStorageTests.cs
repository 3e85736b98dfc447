using Moat.Provenance;
using Xunit;

namespace Moat.Provenance.Tests;

/// <summary>
/// The in-memory stores behind the index grow in chunks that are never moved: runs and posting lists read back exactly
/// across chunk boundaries, with runs longer than a chunk and empty runs.
/// </summary>
public sealed class IndexStorageTests
{
    [Fact]
    public void AppendArena_RunsReadBackAcrossChunks_OversizedAndEmptyRunsIncluded()
    {
        var arena = new AppendArena<uint>();
        var random = new Random(7);
        var stored = new List<(int Location, uint[] Run)>();
        long total = 0;
        while (total < 3L * AppendArena<uint>.ChunkSize)
        {
            var length = random.Next(10) == 0 ? 0 : random.Next(1, 5_000);
            if (stored.Count == 40) length = AppendArena<uint>.ChunkSize + 123;
            var run = new uint[length];
            for (var i = 0; i < length; i++) run[i] = (uint)random.Next();
            stored.Add((arena.Append(run), run));
            total += length;
        }

        Assert.Equal(total, arena.Count);
        Assert.True(arena.Bytes >= total * sizeof(uint));
        foreach (var (location, run) in stored)
        {
            Assert.Equal(run, arena.Get(location, run.Length).ToArray());
        }
    }

    [Fact]
    public void PostingTable_ListsSpanningManyNodeChunks_ReadBackNewestFirst()
    {
        var table = new PostingTable(initialSlots: 16);
        var expected = new Dictionary<uint, List<int>>();
        var entries = 3 * NodeChunks.ChunkSize / 7;
        for (var entry = 0; entry < entries; entry++)
        {
            for (uint k = 0; k < 7; k++)
            {
                var key = (uint)((entry % 97) * 7919 + k);
                table.Add(key, entry);
                (expected.TryGetValue(key, out var list) ? list : expected[key] = []).Add(entry);
            }
        }

        Assert.Equal(entries * 7L, table.Postings);
        Assert.Equal(expected.Count, table.Fingerprints);
        foreach (var (key, list) in expected)
        {
            list.Reverse();
            Assert.Equal(list, ReadAll(table, key));
            Assert.Equal(list.Count, table.LengthOf(key));
        }
        Assert.Empty(ReadAll(table, 0xDEADBEEF));
    }

    /// <summary>
    /// Freezing at any point (several times, with adds and table growth between) keeps every list's content and its
    /// newest-first order, and moves the postings out of the linked nodes.
    /// </summary>
    [Fact]
    public void PostingTable_FreezeBetweenAdds_ListsReadBackNewestFirst()
    {
        var table = new PostingTable(initialSlots: 16);
        var expected = new Dictionary<uint, List<int>>();
        var random = new Random(11);
        var entry = 0;
        foreach (var batch in new[] { 5_000, 1, 20_000, 0, 3_000 })
        {
            for (var i = 0; i < batch; i++, entry++)
            {
                // A few very long lists, many short ones, and keys first seen after a freeze.
                foreach (var key in new[] { (uint)(entry % 3), (uint)(1_000 + random.Next(entry / 10 + 1)), (uint)(5_000_000 + entry) })
                {
                    table.Add(key, entry);
                    (expected.TryGetValue(key, out var list) ? list : expected[key] = []).Add(entry);
                }
            }

            table.Freeze();
            Assert.Equal(0, table.LinkedPostings);
            Check();
        }

        // Additions after the last freeze sit in front of the frozen run.
        table.Add(1, 999_999);
        expected[1].Add(999_999);
        Assert.Equal(1, table.LinkedPostings);
        Check();

        void Check()
        {
            Assert.Equal(expected.Sum(e => (long)e.Value.Count), table.Postings);
            Assert.Equal(expected.Count, table.Fingerprints);
            foreach (var (key, list) in expected)
            {
                Assert.Equal(Enumerable.Reverse(list), ReadAll(table, key));
                Assert.Equal(list.Count, table.LengthOf(key));
            }

            Assert.Empty(ReadAll(table, 0xDEADBEEF));
        }
    }

    /// <summary>
    /// Loading (what opening an index does) leaves the table a run of adds and a freeze would: same lists, same
    /// newest-first order, every posting contiguous; later adds and growth work on top of it.
    /// </summary>
    [Fact]
    public void PostingTable_Load_IsAddsThenFreeze()
    {
        var random = new Random(5);
        var keys = new uint[30_000][];
        for (var id = 0; id < keys.Length; id++)
        {
            // A few very long lists, many short ones, and entries without keys.
            keys[id] = id % 97 == 0 ? [] : [.. new[] { (uint)(id % 3), (uint)(1_000 + random.Next(id / 10 + 1)), (uint)(5_000_000 + id) }.Distinct()];
        }

        var added = new PostingTable(initialSlots: 16);
        for (var id = 0; id < keys.Length; id++)
        {
            foreach (var key in keys[id]) added.Add(key, id);
        }

        added.Freeze();
        var loaded = new PostingTable(initialSlots: 16);
        loaded.Load(keys.Length, id => keys[id]);

        Assert.Equal(0, loaded.LinkedPostings);
        Assert.Equal(added.Postings, loaded.Postings);
        Assert.Equal(added.Fingerprints, loaded.Fingerprints);
        foreach (var key in keys.SelectMany(k => k).Distinct()) Assert.Equal(ReadAll(added, key), ReadAll(loaded, key));

        // Growth past the loaded size, then a freeze, on both.
        for (var id = keys.Length; id < keys.Length + 40_000; id++)
        {
            foreach (var key in new[] { (uint)(id % 5), (uint)(9_000_000 + id) })
            {
                added.Add(key, id);
                loaded.Add(key, id);
            }
        }

        Assert.Equal(ReadAll(added, 4), ReadAll(loaded, 4));
        loaded.Freeze();
        added.Freeze();
        foreach (var key in new uint[] { 0, 1, 2, 3, 4, 9_000_000 + 40_000, 5_000_001 }) Assert.Equal(ReadAll(added, key), ReadAll(loaded, key));
        Assert.Throws<InvalidOperationException>(() => loaded.Load(1, _ => [1u]));
    }

    private static List<int> ReadAll(PostingTable table, uint key)
    {
        var read = new List<int>();
        foreach (var id in table.EntriesOf(key)) read.Add(id);
        return read;
    }
}
