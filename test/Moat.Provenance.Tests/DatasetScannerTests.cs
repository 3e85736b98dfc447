using Moat.Provenance.Scan;

namespace Moat.Provenance.Tests;

public sealed class DatasetScannerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly DiskProvenanceIndex _index;
    private readonly List<ServedText> _accountOne = [];
    private readonly List<ServedText> _accountTwo = [];

    public DatasetScannerTests()
    {
        _index = new DiskProvenanceIndex(new ProvenanceOptions { Directory = _dir.Path }, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestData.Start));
        for (var i = 0; i < 40; i++)
        {
            var one = TestData.Served(Synthetic.Text(seed: 1_000 + i), account: 1, request: i, at: TestData.Start.AddMinutes(i));
            var two = TestData.Served(Synthetic.Text(seed: 2_000 + i), account: 2, request: i, at: TestData.Start.AddMinutes(i));
            _index.Add(one);
            _index.Add(two);
            _accountOne.Add(one);
            _accountTwo.Add(two);
        }
    }

    public void Dispose()
    {
        _index.Dispose();
        _dir.Dispose();
    }

    private DatasetScanner Scanner(int parallelism = 2) => new(_index, new ProvenanceScanOptions { Parallelism = parallelism });

    [Fact]
    public void EditedLeakMixedWithUnservedText_IsAttributedToTheAccountWithATinyPValue()
    {
        var passages = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            passages.Add(TestData.Edit(_accountOne[i].Text, 0.2, seed: i));
            passages.Add(Synthetic.Text(seed: 9_000 + i));
        }

        var result = Scanner().Scan(passages);

        Assert.Equal(DatasetScanResult.Attributed, result.Verdict);
        Assert.Equal(40, result.Passages);
        Assert.Equal(40, result.DistinctPassages);
        var top = result.Accounts[0];
        Assert.Equal("org_001", top.OrgId);
        Assert.True(top.Passages >= 18, $"{top.Passages} landings");
        Assert.True(top.PValue <= 1e-6, $"p = {top.PValue}");
        Assert.Equal(40 * new NullModel(new ProvenanceScanOptions()).PassageRate, top.ExpectedByChance, 1e-12);
        Assert.Equal(["key_001_a"], top.KeyIds);
        Assert.Equal(TestData.Start, top.FirstServedAt);
        Assert.All(top.Examples, e => Assert.Equal(0, e.PassageIndex % 2));
        Assert.DoesNotContain(result.Accounts, a => a.OrgId == "org_002");
    }

    [Fact]
    public void NeverServedDataset_IsInconclusiveWithNoAccount()
    {
        var passages = Enumerable.Range(0, 60).Select(i => Synthetic.Text(seed: 50_000 + i)).ToList();

        var result = Scanner().Scan(passages);

        Assert.Equal(DatasetScanResult.Inconclusive, result.Verdict);
        Assert.Empty(result.Accounts);
        Assert.Equal(0, result.AttributedPassages);
    }

    [Fact]
    public void DuplicatesAndBlankPassages_AreNotCountedTwice()
    {
        var leaked = _accountTwo[0].Text;
        // The same output repeated, reformatted (same normal form), and blank lines: one distinct passage.
        string[] passages = [leaked, leaked, TestData.Reformat(leaked), "   ", ""];

        var result = Scanner().Scan(passages);

        Assert.Equal(5, result.Passages);
        Assert.Equal(1, result.DistinctPassages);
        Assert.Equal(1, result.AttributedPassages);
        Assert.Equal(1, result.Accounts.Single().Passages);
        // The first occurrence stands for its duplicates, whichever thread reached one first.
        Assert.Equal(0, result.Accounts.Single().Examples.Single().PassageIndex);
    }

    [Fact]
    public void Duplicates_TheEarliestOccurrenceIsTheExample_OnEveryRun()
    {
        var passages = Enumerable.Range(0, 30).Select(i => Synthetic.Text(seed: 80_000 + i, words: 30)).ToList();
        passages.AddRange(Enumerable.Repeat(_accountTwo[5].Text, 40));

        for (var run = 0; run < 5; run++)
        {
            var example = Scanner().Scan(passages).Accounts.Single().Examples.Single();
            Assert.Equal(30, example.PassageIndex);
        }
    }

    [Fact]
    public void ManyNearCopiesOfOneOutput_CountOnce()
    {
        // Twenty differently edited copies of one served output are one served output's worth of evidence.
        var passages = Enumerable.Range(0, 20).Select(i => TestData.Edit(_accountOne[3].Text, 0.1, seed: 100 + i)).ToList();

        var result = Scanner().Scan(passages);

        var account = result.Accounts.Single();
        Assert.Equal("org_001", account.OrgId);
        Assert.Equal(1, account.Passages);
        Assert.Equal(DatasetScanResult.Inconclusive, result.Verdict);
    }

    [Fact]
    public void DatasetDrawnFromTwoAccounts_NamesBoth()
    {
        var passages = _accountOne.Take(15).Select(s => s.Text).Concat(_accountTwo.Take(10).Select(s => s.Text)).ToList();

        var result = Scanner(parallelism: 1).Scan(passages);

        Assert.Equal(["org_001", "org_002"], result.Accounts.Select(a => a.OrgId));
        Assert.Equal(15, result.Accounts[0].Passages);
        Assert.Equal(10, result.Accounts[1].Passages);
        Assert.True(result.Accounts[0].PValue < result.Accounts[1].PValue);
    }

    [Fact]
    public void Progress_IsReportedAndEndsAtTheTotal()
    {
        var passages = Enumerable.Range(0, 600).Select(i => Synthetic.Text(seed: 70_000 + i, words: 20)).ToList();
        var reports = new List<ScanProgress>();
        var progress = new SynchronousProgress(reports);

        Scanner().Scan(passages, progress, passages.Count);

        Assert.True(reports.Count >= 2);
        Assert.Equal(new ScanProgress(600, 600), reports[^1]);
        Assert.All(reports, r => Assert.True(r.Scanned <= r.Total));
    }

    [Fact]
    public void Cancellation_StopsTheScan()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Scanner().Scan([_accountOne[0].Text], cancellationToken: cancel.Token));
    }

    private sealed class SynchronousProgress(List<ScanProgress> reports) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value)
        {
            lock (reports) reports.Add(value);
        }
    }
}

/// <summary>Distinct, word-like synthetic answers: a seeded walk over a fixed made-up vocabulary.</summary>
internal static class Synthetic
{
    private static readonly string[] Vocabulary = BuildVocabulary();

    public static string Text(int seed, int words = 120)
    {
        var random = new Random(seed);
        var parts = new string[words];
        for (var i = 0; i < words; i++) parts[i] = Vocabulary[random.Next(Vocabulary.Length)];
        return string.Join(' ', parts) + ".";
    }

    private static string[] BuildVocabulary()
    {
        const string consonants = "bcdfghklmnprstvz";
        const string vowels = "aeiou";
        var random = new Random(42);
        var words = new HashSet<string>();
        while (words.Count < 4_000)
        {
            var syllables = 2 + random.Next(3);
            var chars = new char[syllables * 2];
            for (var s = 0; s < syllables; s++)
            {
                chars[2 * s] = consonants[random.Next(consonants.Length)];
                chars[2 * s + 1] = vowels[random.Next(vowels.Length)];
            }

            words.Add(new string(chars));
        }

        return [.. words];
    }
}
