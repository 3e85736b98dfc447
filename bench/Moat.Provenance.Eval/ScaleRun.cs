using System.Diagnostics;
using System.Text;
using Moat.Provenance;

namespace Moat.Provenance.Eval;

/// <summary>Indexes N synthetic outputs into an on-disk index and measures ingest rate, search latency, disk and RAM.</summary>
public sealed class ScaleRun(IServedCorpus corpus, int outputs)
{
    private const int Batch = 20_000;
    private const int Queries = 2_000;

    public string Run()
    {
        var synthetic = new SyntheticOutputs(corpus);
        var directory = Path.Combine(Path.GetTempPath(), "moat-prov-scale-" + Guid.NewGuid().ToString("N"));
        var options = new ProvenanceOptions { Directory = directory, RetentionDays = 365 };
        var now = DateTimeOffset.UtcNow;
        var addTime = TimeSpan.Zero;
        var wall = Stopwatch.StartNew();
        long memoryAfterIngest, workingSetAfterIngest, indexArrayBytes;
        double[] latencies;
        int correct, wrong, attributedNegatives;
        TimeSpan flushTime;
        try
        {
            using (var index = new DiskProvenanceIndex(options, TimeProvider.System))
            {
                var texts = new string[Batch];
                for (var start = 0; start < outputs; start += Batch)
                {
                    var n = Math.Min(Batch, outputs - start);
                    Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = 2 }, j => texts[j] = synthetic.Output(start + j));
                    var sw = Stopwatch.StartNew();
                    Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = 2 }, j =>
                    {
                        var id = start + j;
                        index.Add(new ServedText($"org_{id % 997:D4}", $"key_{id % 997:D4}_{id % 3}", $"req_{id:D9}", "model-a",
                            now.AddSeconds(-(id % (30 * 86400))), texts[j]));
                    });
                    addTime += sw.Elapsed;
                    if ((start / Batch) % 10 == 9) Console.Error.WriteLine($"indexed {start + n:N0} ({(start + n) / addTime.TotalSeconds:N0}/s)");
                }

                var flush = Stopwatch.StartNew();
                index.Flush();
                flushTime = flush.Elapsed;

                memoryAfterIngest = GC.GetTotalMemory(forceFullCollection: true);
                workingSetAfterIngest = Process.GetCurrentProcess().WorkingSet64;
                indexArrayBytes = index.IndexArrayBytes;
                (latencies, correct, wrong, attributedNegatives) = Search(index, synthetic);
            }

            var ingestWall = wall.Elapsed;
            var reopen = Stopwatch.StartNew();
            long reopenedCount;
            double[] frozenLatencies;
            long frozenArrayBytes, memoryAfterReopen;
            TimeSpan reopenTime;
            using (var reopened = new DiskProvenanceIndex(options, TimeProvider.System))
            {
                reopenTime = reopen.Elapsed;
                reopenedCount = reopened.Count;
                // The same searches again on the reopened index: opening lays the posting lists out contiguously.
                frozenArrayBytes = reopened.IndexArrayBytes;
                memoryAfterReopen = GC.GetTotalMemory(forceFullCollection: true);
                (frozenLatencies, _, _, _) = Search(reopened, synthetic);
                Array.Sort(frozenLatencies);
            }

            var diskBytes = Directory.GetFiles(directory).Sum(f => new FileInfo(f).Length);
            Array.Sort(latencies);
            var sb = new StringBuilder();
            sb.AppendLine("# Provenance index at scale");
            sb.AppendLine();
            sb.AppendLine($"`dotnet run -c Release --project bench/Moat.Provenance.Eval -- --scale {outputs}` on {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}. {outputs:N0} synthetic outputs (3–9 sentences recombined from {synthetic.SentenceCount:N0} corpus sentences, ~1 word in 12 swapped), added from 2 threads to one on-disk index.");
            sb.AppendLine();
            sb.AppendLine("| metric | value | target |");
            sb.AppendLine("|---|---:|---:|");
            sb.AppendLine($"| ingest (Add calls only) | {outputs / addTime.TotalSeconds:N0} outputs/s | ≥ 5,000 |");
            sb.AppendLine($"| ingest incl. text generation, wall | {outputs / ingestWall.TotalSeconds:N0} outputs/s | |");
            sb.AppendLine($"| final flush (fsync) | {flushTime.TotalMilliseconds:F0} ms | |");
            sb.AppendLine($"| search p50 | {Statistics.Quantile(latencies, 0.5):F2} ms | |");
            sb.AppendLine($"| search p99 | {Statistics.Quantile(latencies, 0.99):F2} ms | ≤ 50 ms |");
            sb.AppendLine($"| search max | {latencies[^1]:F2} ms | |");
            sb.AppendLine($"| search p50 / p99 / max after reopening (posting lists contiguous) | {Statistics.Quantile(frozenLatencies, 0.5):F2} / {Statistics.Quantile(frozenLatencies, 0.99):F2} / {frozenLatencies[^1]:F2} ms | ≤ 50 ms (p99) |");
            sb.AppendLine($"| index arrays / managed heap after reopening | {frozenArrayBytes / 1048576.0:N0} MiB / {memoryAfterReopen / 1048576.0:N0} MiB | |");
            sb.AppendLine($"| disk | {diskBytes / (double)outputs:F0} bytes/output ({diskBytes / 1048576.0:N0} MiB) | ≤ 512 |");
            sb.AppendLine($"| managed heap after ingest (GC.GetTotalMemory) | {memoryAfterIngest / 1048576.0:N0} MiB | |");
            sb.AppendLine($"| of which index arrays | {indexArrayBytes / 1048576.0:N0} MiB ({indexArrayBytes / (double)outputs:F0} bytes/output) | |");
            sb.AppendLine($"| process working set | {workingSetAfterIngest / 1048576.0:N0} MiB | |");
            sb.AppendLine($"| reopen (load all segments, build contiguous posting lists) | {reopenTime.TotalSeconds:F1} s for {reopenedCount:N0} entries | ≤ 5 s at 10M |");
            sb.AppendLine($"| sanity: 10%-edited indexed outputs attributed to the right request | {correct} / {Queries / 2} (wrong top-1: {wrong}, rest below threshold) | |");
            sb.AppendLine($"| sanity: never-served corpus answers attributed | {attributedNegatives} / {Queries / 2} | |");
            return sb.ToString();
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { }
        }
    }

    private (double[] Latencies, int Correct, int Wrong, int AttributedNegatives) Search(DiskProvenanceIndex index, SyntheticOutputs synthetic)
    {
        var random = new Random(11);
        var desensitiser = new Desensitiser(["various", "common", "notable", "general", "specific"]);
        var negatives = corpus.NeverServed().Where(n => AttributionEvaluation.WordCount(n.Text) >= 50).Select(n => n.Text).ToList();
        var latencies = new double[Queries];
        var correct = 0;
        var wrong = 0;
        var attributedNegatives = 0;
        for (var q = 0; q < Queries; q++)
        {
            string text;
            string? truth = null;
            if (q % 2 == 0)
            {
                var id = random.Next(outputs);
                text = desensitiser.EditWords(synthetic.Output(id), 0.10, random);
                truth = $"req_{id:D9}";
            }
            else
            {
                text = negatives[random.Next(negatives.Count)];
            }

            var sw = Stopwatch.StartNew();
            var result = index.Search(text);
            latencies[q] = sw.Elapsed.TotalMilliseconds;
            if (truth is not null && result.Matches.Count > 0 && result.Matches[0].RequestId == truth) correct++;
            else if (truth is not null && result.Matches.Count > 0) wrong++;
            if (truth is null && result.Verdict == ProvenanceResult.Attributed) attributedNegatives++;
        }

        return (latencies, correct, wrong, attributedNegatives);
    }
}
