using System.Collections.Concurrent;
using System.Diagnostics;
using Moat.Provenance;

namespace Moat.Provenance.Eval;

/// <summary>One query's outcome: the best verified candidate whatever its score, so any threshold can be applied later.</summary>
public sealed record QueryOutcome(string Transform, bool IsDev, string? TruthRequestId, string? TopRequestId, double TopScore, double TopFraction, double TruthScore)
{
    /// <summary>Every verified candidate's request id, alignment and shingle score (calibration runs only).</summary>
    public List<(string RequestId, double Alignment, double Shingle)>? Components { get; init; }
}

/// <summary>A concatenation of several served excerpts: which sources came back above the threshold.</summary>
public sealed record MultiSourceOutcome(bool IsDev, int Sources, int Found, int Spurious);

public sealed record EvaluationRun(
    List<QueryOutcome> Queries,
    List<MultiSourceOutcome> MultiSource,
    int ServedCount,
    int QualifyingDev,
    int QualifyingTest,
    double FingerprintsPerOutput,
    double IngestSeconds)
{
    public double ShinglesPerOutput { get; init; }
}

/// <summary>Indexes a corpus of served outputs, then searches desensitised copies and never-served answers.</summary>
/// <remarks>
/// By default the evaluation builds its own index from the served records. With <paramref name="indexSource"/> it searches
/// an index someone else filled (the gateway host's, in <c>--through-gateway</c> mode); the source must return a
/// <see cref="DiskProvenanceIndex"/>, or a <see cref="BorrowedIndex"/> around one, and disposing what it returns must be safe.
/// </remarks>
public sealed class AttributionEvaluation(IServedCorpus corpus, ProvenanceOptions options, Func<IReadOnlyList<ServedRecord>, IProvenanceIndex>? indexSource = null)
{
    public const int MinWords = 50;

    public static readonly string[] TransformNames =
        ["exact", "reformatted", "pii-scrubbed", "truncated-50w", "sentence-shuffled", "edited-10%", "edited-20%", "edited-30%", "substituted-30%", "deleted-30%"];

    public EvaluationRun Run(bool devOnly, int maxTargetsPerSplit = int.MaxValue, bool components = false)
    {
        var served = corpus.Served().ToList();
        var unserved = corpus.NeverServed().ToList();
        var vocabulary = Desensitiser.BuildVocabulary(served.Select(s => s.Served.Text).Concat(unserved.Select(u => u.Text)));
        var desensitiser = new Desensitiser(vocabulary);

        var directory = Path.Combine(Path.GetTempPath(), "moat-prov-eval-" + Guid.NewGuid().ToString("N"));
        options.Directory = directory;
        options.RetentionDays = 3650;
        options.FlushIntervalMs = 60_000;
        try
        {
            var stopwatch = Stopwatch.StartNew();
            using var handle = indexSource is null ? BuildIndex(served) : indexSource(served);
            var index = handle switch
            {
                DiskProvenanceIndex disk => disk,
                BorrowedIndex { Inner: DiskProvenanceIndex disk } => disk,
                _ => throw new InvalidOperationException($"the evaluation ranks with DiskProvenanceIndex internals; got {handle.GetType().Name}"),
            };
            var ingestSeconds = stopwatch.Elapsed.TotalSeconds;
            var stored = served.Select(s => index.Encode(s.Served)).ToList();
            var fpPerOutput = stored.Average(s => (double)s.Codes.Length);
            var shinglesPerOutput = options.UseShingles ? stored.Average(s => (double)s.Fingerprints.Length) : 0;

            var targets = served.Where(s => WordCount(s.Served.Text) >= MinWords && (!devOnly || s.IsDev)).ToList();
            var qualifyingDev = targets.Count(t => t.IsDev);
            var qualifyingTest = targets.Count(t => !t.IsDev);
            if (maxTargetsPerSplit < int.MaxValue)
            {
                // A sample, not a prefix: the corpus is ordered by source, and a prefix would hold only long chat answers.
                var sample = new Random(3);
                targets = [.. targets.OrderBy(_ => sample.Next())];
                targets = [.. targets.Where(t => t.IsDev).Take(maxTargetsPerSplit).Concat(targets.Where(t => !t.IsDev).Take(maxTargetsPerSplit))];
            }
            var negatives = unserved.Where(u => WordCount(u.Text) >= MinWords && (!devOnly || u.IsDev)).ToList();
            var hardNegatives = negatives.Where(n => n.SameInstructionServed).ToList();

            var outcomes = new ConcurrentBag<QueryOutcome>();
            var work = new List<(string Transform, bool IsDev, string? Truth, string Text)>();
            for (var i = 0; i < targets.Count; i++)
            {
                var t = targets[i];
                var text = t.Served.Text;
                var seed = i * 31;
                work.Add(("exact", t.IsDev, t.Served.RequestId, text));
                work.Add(("reformatted", t.IsDev, t.Served.RequestId, Desensitiser.Reformat(text, new Random(seed + 1))));
                work.Add(("pii-scrubbed", t.IsDev, t.Served.RequestId, Desensitiser.ScrubPii(text, new Random(seed + 2))));
                work.Add(("truncated-50w", t.IsDev, t.Served.RequestId, Desensitiser.Truncate(text, 50)));
                work.Add(("sentence-shuffled", t.IsDev, t.Served.RequestId, Desensitiser.ShuffleSentences(text, new Random(seed + 3))));
                work.Add(("edited-10%", t.IsDev, t.Served.RequestId, desensitiser.EditWords(text, 0.10, new Random(seed + 4))));
                work.Add(("edited-20%", t.IsDev, t.Served.RequestId, desensitiser.EditWords(text, 0.20, new Random(seed + 5))));
                work.Add(("edited-30%", t.IsDev, t.Served.RequestId, desensitiser.EditWords(text, 0.30, new Random(seed + 6))));
                work.Add(("substituted-30%", t.IsDev, t.Served.RequestId, desensitiser.SubstituteWords(text, 0.30, new Random(seed + 7))));
                work.Add(("deleted-30%", t.IsDev, t.Served.RequestId, Desensitiser.DeleteWords(text, 0.30, new Random(seed + 8))));
            }

            for (var i = 0; i < negatives.Count; i++)
            {
                if (!negatives[i].SameInstructionServed)
                {
                    work.Add(("never-served-other", negatives[i].IsDev, null, negatives[i].Text));
                    continue;
                }

                work.Add(("never-served", negatives[i].IsDev, null, negatives[i].Text));
                work.Add(("never-served-reformatted", negatives[i].IsDev, null, Desensitiser.Reformat(negatives[i].Text, new Random(i))));
            }

            Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = 2 }, w =>
            {
                var ranked = index.Rank(w.Text, 10, double.Epsilon);
                var top = ranked.Count > 0 ? ranked[0] : null;
                var truthScore = w.Truth is null ? 0 : ranked.FirstOrDefault(m => m.RequestId == w.Truth)?.Score ?? 0;
                outcomes.Add(new QueryOutcome(w.Transform, w.IsDev, w.Truth, top?.RequestId, top?.Score ?? 0, top?.MatchedFraction ?? 0, truthScore)
                {
                    Components = components ? index.RankComponents(w.Text) : null,
                });
            });

            var multi = MultiSource(index, targets, hardNegatives, options.AttributionThreshold);
            return new EvaluationRun([.. outcomes], multi, served.Count, qualifyingDev, qualifyingTest, fpPerOutput, ingestSeconds) { ShinglesPerOutput = shinglesPerOutput };
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { }
        }
    }

    private DiskProvenanceIndex BuildIndex(List<ServedRecord> served)
    {
        var index = new DiskProvenanceIndex(options, TimeProvider.System);
        Parallel.ForEach(served, new ParallelOptions { MaxDegreeOfParallelism = 2 }, record => index.Add(record.Served));
        index.Flush();
        return index;
    }

    /// <summary>A scraped data set concatenates many outputs: groups of five excerpts plus one never-served answer.</summary>
    private static List<MultiSourceOutcome> MultiSource(DiskProvenanceIndex index, List<ServedRecord> targets, List<UnservedRecord> negatives, double threshold)
    {
        var random = new Random(7);
        var outcomes = new List<MultiSourceOutcome>();
        foreach (var isDev in new[] { true, false })
        {
            var pool = targets.Where(t => t.IsDev == isDev).ToList();
            var others = negatives.Where(n => n.IsDev == isDev).ToList();
            for (var g = 0; g + 5 <= pool.Count && g < 1000; g += 5)
            {
                var group = pool.GetRange(g, 5);
                var parts = group.Select(t => Desensitiser.Truncate(t.Served.Text, 60 + random.Next(60))).ToList();
                if (others.Count > 0) parts.Insert(random.Next(parts.Count), others[random.Next(others.Count)].Text);
                var ranked = index.Rank(string.Join("\n\n", parts), 20, threshold);
                var truth = group.Select(t => t.Served.RequestId).ToHashSet();
                var found = ranked.Count(m => truth.Contains(m.RequestId));
                outcomes.Add(new MultiSourceOutcome(isDev, group.Count, found, ranked.Count - found));
            }
        }

        return outcomes;
    }

    public static int WordCount(string text) => text.Split((char[])[' ', '\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries).Length;
}
