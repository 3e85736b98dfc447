using Microsoft.Extensions.Time.Testing;

namespace Moat.Provenance.Tests;

public sealed class DiskProvenanceIndexTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(TestData.Start.AddHours(1));

    public void Dispose() => _dir.Dispose();

    // Tests that move the clock by days use an hourly flush, or the fake clock would fire the timer 86,400 times a day.
    private DiskProvenanceIndex Open(int retentionDays = 365, int flushIntervalMs = 1000) =>
        new(new ProvenanceOptions { Directory = _dir.Path, RetentionDays = retentionDays, FlushIntervalMs = flushIntervalMs }, _time);

    /// <summary>Serves each fixture answer of the served models to its own account; returns text → request id.</summary>
    private static Dictionary<string, string> ServeFixtures(IProvenanceIndex index)
    {
        var served = new Dictionary<string, string>();
        var n = 0;
        foreach (var answer in Fixtures.Served)
        {
            var record = TestData.Served(answer.Output, account: n, request: n);
            index.Add(record);
            served[answer.Output] = record.RequestId;
            n++;
        }

        return served;
    }

    [Fact]
    public void Search_ExactServedText_AttributesToItsAccount()
    {
        using var index = Open();
        var served = ServeFixtures(index);
        foreach (var (text, requestId) in served)
        {
            var result = index.Search(text);
            Assert.Equal(ProvenanceResult.Attributed, result.Verdict);
            Assert.Equal(requestId, result.Matches[0].RequestId);
            Assert.True(result.Matches[0].MatchedFraction > 0.95);
        }
    }

    [Fact]
    public void Search_ScrubbedReformattedAndEdited_StillAttributed()
    {
        using var index = Open();
        var served = ServeFixtures(index);
        var seed = 0;
        foreach (var (text, requestId) in served)
        {
            var leaked = TestData.Edit(TestData.Reformat(TestData.Scrub(text)), 0.1, seed++);
            var result = index.Search(leaked);
            Assert.Equal(ProvenanceResult.Attributed, result.Verdict);
            Assert.Equal(requestId, result.Matches[0].RequestId);
        }
    }

    [Fact]
    public void Search_OtherModelsAnswersToTheSameInstructions_NotAttributed()
    {
        using var index = Open();
        ServeFixtures(index);
        foreach (var answer in Fixtures.NeverServed)
        {
            // Another model's answer to a served question may share enough to be "inconclusive" (never a named account).
            var result = index.Search(answer.Output);
            Assert.NotEqual(ProvenanceResult.Attributed, result.Verdict);
            Assert.Empty(result.Matches);
        }
    }

    [Fact]
    public void Search_PassageConcatenatingSeveralOutputs_ReturnsEachSource()
    {
        using var index = Open();
        var served = ServeFixtures(index);
        var excerpts = served.Keys.Select(t => string.Join(' ', t.Split(' ').Take(80)));
        var dataset = string.Join("\n\n", excerpts.Concat(Fixtures.NeverServed.Select(a => a.Output)));

        var result = index.Search(dataset, limit: 20);

        Assert.Equal(ProvenanceResult.Attributed, result.Verdict);
        Assert.Equal(served.Values.Order().ToArray(), result.Matches.Select(m => m.RequestId).Order().ToArray());
    }

    [Fact]
    public void Search_Metadata_ComesBackAsServed()
    {
        using var index = Open();
        var record = new ServedText("org_acme", "key_7", "req_abc", "gpt-x", TestData.Start.AddMinutes(5), Fixtures.Answers[0].Output);
        index.Add(record);

        var match = Assert.Single(index.Search(record.Text).Matches);

        Assert.Equal(("org_acme", "key_7", "req_abc", "gpt-x", record.ServedAt), (match.OrgId, match.KeyId, match.RequestId, match.Model, match.ServedAt));
    }

    [Fact]
    public void Reopen_RanksEveryQueryAsTheLiveIndexDid()
    {
        // The reopened index builds its posting lists contiguously in one go; the live one linked them one add at a time.
        var queries = Fixtures.Served.Concat(Fixtures.NeverServed).Select((a, i) => TestData.Edit(a.Output, 0.2, i)).ToList();
        List<string> Ranked(DiskProvenanceIndex index) =>
            [.. queries.Select(q => string.Join(",", index.Rank(q, 10, 0).Select(m => $"{m.RequestId}:{m.Score:F3}:{m.MatchedFraction:F3}")))];
        List<string> live;
        using (var index = Open())
        {
            ServeFixtures(index);
            live = Ranked(index);
        }

        using var reopened = Open();
        Assert.Equal(live, Ranked(reopened));
        Assert.Contains(live, r => r.Length > 0);
    }

    [Fact]
    public void Reopen_AfterDispose_KeepsEveryEntry()
    {
        Dictionary<string, string> served;
        using (var index = Open()) served = ServeFixtures(index);

        using var reopened = Open();
        Assert.Equal(served.Count, reopened.Count);
        foreach (var (text, requestId) in served) Assert.Equal(requestId, reopened.Search(text).Matches[0].RequestId);
    }

    [Fact]
    public void Flush_OnTimer_MakesEntriesDurableWithoutDispose()
    {
        using var index = Open();
        index.Add(TestData.Served(Fixtures.Answers[0].Output, 1, 1));
        _time.Advance(TimeSpan.FromMilliseconds(1000));

        using var copy = new TempDirectory();
        foreach (var file in _dir.Segments()) File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
        using var fromCopy = new DiskProvenanceIndex(new ProvenanceOptions { Directory = copy.Path }, _time);

        Assert.Equal(1, fromCopy.Count);
    }

    [Fact]
    public void Open_SegmentWithTornTail_KeepsEverythingBeforeTheTear()
    {
        // The served answers only: a never-served answer whose text another served answer contains (a bare list of the same
        // names) is by design not attributed to either while both are indexed (common content is not evidence).
        var answers = Fixtures.Served.ToList();
        using (var index = Open())
        {
            for (var i = 0; i < answers.Count; i++) index.Add(TestData.Served(answers[i].Output, i, i));
        }

        var segment = Assert.Single(_dir.Segments());
        var fullLength = new FileInfo(segment).Length;
        // Cut the last record in half, as a crash in the middle of a write would.
        using (var stream = new FileStream(segment, FileMode.Open)) stream.SetLength(fullLength - 20);

        using (var reopened = Open())
        {
            Assert.Equal(answers.Count - 1, reopened.Count);
            for (var i = 0; i < answers.Count - 1; i++) Assert.Equal($"req_{i:D3}_{i:D5}", reopened.Search(answers[i].Output).Matches[0].RequestId);
            Assert.Equal(ProvenanceResult.NoMatch, reopened.Search(answers[^1].Output).Verdict);
            reopened.Add(TestData.Served(answers[^1].Output, 99, 99));
        }

        using var again = Open();
        Assert.Equal(answers.Count, again.Count);
        Assert.Equal("req_099_00099", again.Search(answers[^1].Output).Matches[0].RequestId);
    }

    [Fact]
    public void Open_SegmentWithCorruptedByte_DropsFromTheDamagedRecordOn()
    {
        using (var index = Open())
        {
            for (var i = 0; i < 4; i++) index.Add(TestData.Served(Fixtures.Answers[i].Output, i, i));
        }

        var segment = Assert.Single(_dir.Segments());
        var bytes = File.ReadAllBytes(segment);
        bytes[^10] ^= 0xFF;
        File.WriteAllBytes(segment, bytes);

        using var reopened = Open();
        Assert.Equal(3, reopened.Count);
        Assert.True(new FileInfo(segment).Length < bytes.Length);
    }

    [Fact]
    public void Retention_SegmentsOlderThanRetention_AreDeletedAndNotMatched()
    {
        using var index = Open(retentionDays: 2, flushIntervalMs: 3_600_000);
        var old = Fixtures.Answers[0].Output;
        index.Add(TestData.Served(old, 1, 1, at: _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromDays(1));
        var recent = Fixtures.Answers[1].Output;
        index.Add(TestData.Served(recent, 2, 2, at: _time.GetUtcNow()));
        Assert.Equal(2, _dir.Segments().Length);

        _time.Advance(TimeSpan.FromDays(1.5));
        index.ApplyRetention();

        Assert.Equal(1, index.Count);
        Assert.Single(_dir.Segments());
        Assert.Equal(ProvenanceResult.NoMatch, index.Search(old).Verdict);
        Assert.Equal(ProvenanceResult.Attributed, index.Search(recent).Verdict);
    }

    [Fact]
    public void Open_AfterRetentionPassed_SkipsExpiredEntries()
    {
        using (var index = Open(retentionDays: 30, flushIntervalMs: 3_600_000)) index.Add(TestData.Served(Fixtures.Answers[0].Output, 1, 1, at: _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromDays(31));

        using var reopened = Open(retentionDays: 30, flushIntervalMs: 3_600_000);

        Assert.Equal(0, reopened.Count);
        Assert.Empty(_dir.Segments());
    }

    [Fact]
    public void Add_FromManyThreadsWhileSearching_KeepsEveryEntry()
    {
        using var index = Open();
        var texts = Fixtures.Answers.Select(a => a.Output).ToArray();
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            index.Add(TestData.Served(TestData.Edit(texts[i % texts.Length], 0.05, i), i % 50, i));
            if (i % 10 == 0) index.Search(texts[i % texts.Length]);
        });
        index.Flush();

        Assert.Equal(200, index.Count);
    }

    [Fact]
    public void Search_ThirtyPercentOfWordsEdited_AttributedToTheSource()
    {
        using var index = Open();
        var served = ServeFixtures(index);
        var seed = 100;
        foreach (var (text, requestId) in served)
        {
            var result = index.Search(TestData.Edit(text, 0.3, seed++));
            Assert.Equal(ProvenanceResult.Attributed, result.Verdict);
            Assert.Equal(requestId, result.Matches[0].RequestId);
        }
    }

    [Fact]
    public void Search_SameQuestionOtherModelsAnswer_NotAttributedEvenWithOnlyOneAnswerServed()
    {
        // No rival served answer to discount against: the ordered alignment alone must keep it below the threshold.
        foreach (var id in Fixtures.Answers.Select(a => a.Id).Distinct())
        {
            using var dir = new TempDirectory();
            using var index = new DiskProvenanceIndex(new ProvenanceOptions { Directory = dir.Path }, _time);
            var servedAnswer = Fixtures.Answers.First(a => a.Id == id && a.Generator == "gpt4_1106_preview");
            index.Add(TestData.Served(servedAnswer.Output, 1, 1));
            foreach (var other in Fixtures.NeverServed.Where(a => a.Id == id))
            {
                var result = index.Search(other.Output);
                Assert.NotEqual(ProvenanceResult.Attributed, result.Verdict);
                Assert.Empty(result.Matches);
            }
        }
    }

    [Fact]
    public void Search_TextCopiedFromThePrompt_IsNotEvidence()
    {
        const string passage = "Dentistry, also known as dental medicine and oral medicine, is the branch of medicine focused on the teeth, gums, "
            + "and mouth. It consists of the study, diagnosis, prevention, management, and treatment of diseases, disorders, and conditions "
            + "of the mouth, most commonly focused on dentition as well as the oral mucosa. Dentistry may also encompass other aspects of "
            + "the craniofacial complex including the temporomandibular joint.";
        var prompt = "Summarise the following paragraph in your own words, keeping its wording where you can.\n\n" + passage;
        // A served answer that mostly copies the prompt's passage, and another model's answer that copies it the same way.
        var servedAnswer = "Summary: " + passage.Replace("most commonly", "mainly", StringComparison.Ordinal) + " In short, it keeps smiles healthy.";
        var otherAnswer = "Here is the paragraph: " + passage + " That is all there is to it.";

        using (var withPrompt = Open())
        {
            withPrompt.Add(TestData.Served(servedAnswer, 1, 1) with { Prompt = prompt });
            Assert.Equal(ProvenanceResult.NoMatch, withPrompt.Search(otherAnswer).Verdict);
        }

        using var dir = new TempDirectory();
        using var withoutPrompt = new DiskProvenanceIndex(new ProvenanceOptions { Directory = dir.Path }, _time);
        withoutPrompt.Add(TestData.Served(servedAnswer, 1, 1));
        Assert.Equal(ProvenanceResult.Attributed, withoutPrompt.Search(otherAnswer).Verdict);
    }

    [Fact]
    public void Search_ShortExactExcerpt_Attributed()
    {
        using var index = Open();
        var served = ServeFixtures(index);
        foreach (var (text, requestId) in served)
        {
            var excerpt = string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(10).Take(50));
            var result = index.Search(excerpt);
            Assert.Equal(ProvenanceResult.Attributed, result.Verdict);
            Assert.Equal(requestId, result.Matches[0].RequestId);
        }
    }

    [Fact]
    public void Search_SentencesShuffled_Attributed()
    {
        using var index = Open();
        var served = ServeFixtures(index);
        var seed = 7;
        foreach (var (text, requestId) in served)
        {
            var sentences = text.Split(". ").ToList();
            var random = new Random(seed++);
            var shuffled = string.Join(". ", sentences.OrderBy(_ => random.Next()));
            var result = index.Search(shuffled);
            Assert.Equal(ProvenanceResult.Attributed, result.Verdict);
            Assert.Equal(requestId, result.Matches[0].RequestId);
        }
    }

    [Fact]
    public void Search_IdenticalTextServedToTwoAccounts_ReturnsBoth()
    {
        using var index = Open();
        ServeFixtures(index);
        var text = Fixtures.Served.First().Output;
        var second = TestData.Served(text, account: 77, request: 77);
        index.Add(second);

        foreach (var query in new[] { text, TestData.Reformat(text), string.Join(' ', text.Split(' ').Take(60)) })
        {
            var result = index.Search(query);
            Assert.Equal(ProvenanceResult.Attributed, result.Verdict);
            Assert.Equal(new[] { "org_000", "org_077" }, result.Matches.Take(2).Select(m => m.OrgId).Order().ToArray());
            Assert.Equal(result.Matches[0].Score, result.Matches[1].Score, 6);
        }
    }

    [Fact]
    public void Open_VersionTwoSegment_IsLoadedAndSearchedByAlignment()
    {
        var text = Fixtures.Served.First().Output;
        var codes = WordSequencer.Encode(text, 2048);
        var file = new List<byte>("MOATPRV2"u8.ToArray());
        void Frame(byte[] payload)
        {
            var header = new byte[8];
            SegmentFormat.WriteFrameHeader(header, payload);
            file.AddRange(header);
            file.AddRange(payload);
        }

        byte[] StringRecord(byte table, string value) => [SegmentFormat.StringRecord, table, 0, (byte)value.Length, .. System.Text.Encoding.UTF8.GetBytes(value)];
        Frame(StringRecord(SegmentFormat.OrgTable, "org_old"));
        Frame(StringRecord(SegmentFormat.KeyTable, "key_old"));
        Frame(StringRecord(SegmentFormat.ModelTable, "gpt-old"));
        var entry = new List<byte> { SegmentFormat.EntryRecord, 0, 0, 0, 7 };
        entry.AddRange("req_old"u8.ToArray());
        entry.AddRange(BitConverter.GetBytes(TestData.Start.UtcTicks));
        var count = new byte[5];
        entry.AddRange(count.AsSpan(0, SegmentFormat.WriteVarint(count, (uint)codes.Length)).ToArray());
        foreach (var code in codes) entry.AddRange(BitConverter.GetBytes(code));
        Frame([.. entry]);
        File.WriteAllBytes(Path.Combine(_dir.Path, SegmentFormat.FileName(0)), [.. file]);

        using var index = Open();
        Assert.Equal(1, index.Count);
        var match = Assert.Single(index.Search(text).Matches);
        Assert.Equal(("org_old", "req_old"), (match.OrgId, match.RequestId));
        // New entries go to a new (v3) segment; the old one is left as it is.
        index.Add(TestData.Served(Fixtures.Served.Last().Output, 1, 1));
        index.Flush();
        Assert.Equal(2, _dir.Segments().Length);
    }

    [Fact]
    public void Segment_HoldsNoServedText()
    {
        using (var index = Open()) index.Add(TestData.Served("Zanzibar quokkas juggle marmalade beneath shimmering aurorae every Thursday evening.", 1, 1));

        var bytes = File.ReadAllBytes(Assert.Single(_dir.Segments()));
        var asText = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.DoesNotContain("quokkas", asText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("marmalade", asText, StringComparison.OrdinalIgnoreCase);
    }
}
