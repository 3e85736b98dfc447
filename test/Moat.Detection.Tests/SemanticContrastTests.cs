using System.Globalization;
using Moat.Detection.Semantic;
using Moat.Simulation;

namespace Moat.Detection.Tests;

/// <summary>
/// The semantic contrast: the openings nobody followed up against those that were, in embedding space. Its statistics on
/// vectors drawn from known distributions, then the engine with the real MiniLM embedder on a tutoring product with and
/// without a harvest run through its own keys.
/// </summary>
public sealed class SemanticContrastTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SameDistributionOnBothSides_IsSignificantNoMoreOftenThanItsLevel()
    {
        var released = 0;
        const int trials = 60;
        for (var trial = 0; trial < trials; trial++)
        {
            var random = new Random(trial);
            var centre = Direction(random);
            var contrast = Fill(new SemanticContrast((ulong)trial), random, followed: () => Near(centre, random), never: () => Near(centre, random));
            Assert.True(contrast.Followed >= SemanticContrast.MinimumPerSide && contrast.Never >= SemanticContrast.MinimumPerSide);
            released += contrast.Release > 0 ? 1 : 0;
        }
        // α = 0.01: about 0.6 of 60 by chance; 3 would be ~5% of trials, far above the level.
        Assert.True(released <= 2, $"{released} of {trials} same-distribution samples were released");
    }

    [Fact]
    public void NeverFollowedOpeningsHalfFromElsewhere_AreReleasedInProportion()
    {
        var random = new Random(7);
        var product = Direction(random);
        var harvest = Direction(random);
        var contrast = Fill(new SemanticContrast(7), random,
            followed: () => Near(product, random),
            never: () => Near(random.NextDouble() < 0.5 ? harvest : product, random));
        Assert.True(contrast.PValue <= SemanticContrast.Alpha, $"p = {contrast.PValue}");
        Assert.InRange(contrast.Release, 0.5, 1);
    }

    [Fact]
    public void FollowUpBeforeTheEmbeddingArrives_CountsAsFollowed_AndUnembeddedOpeningsAreForgotten()
    {
        var random = new Random(3);
        var contrast = new SemanticContrast(3);
        contrast.Add(11, Start);
        contrast.FollowedUp(11);
        Assert.True(contrast.Attach(11, Near(Direction(random), random), Start + TimeSpan.FromSeconds(1)));
        Assert.Equal(1, contrast.Followed);

        contrast.Add(12, Start); // never embedded (the embedder's queue was full)
        contrast.SettleDue(Start + SemanticContrast.SettleAfter);
        Assert.False(contrast.Attach(12, Near(Direction(random), random), Start + SemanticContrast.SettleAfter));
        Assert.Equal(0, contrast.Never);
    }

    [Fact]
    public void TutoringProduct_WithAHarvestThroughItsOwnKeys_IsReleased_WithoutOne_IsNot()
    {
        var embedder = InProcessSimulation.SharedEmbedder;
        var clean = Run(embedder, harvestShare: 0, out var cleanKept);
        var blended = Run(embedder, harvestShare: 0.4, out var blendedKept);
        var blendedWithout = Run(null, harvestShare: 0.4, out var blendedKeptWithout);

        Assert.Equal(0, Release(clean));
        var details = string.Join(", ", blended.Signals.Single(s => s.Name == "extraction_volume").Details.Select(d => $"{d.Key}={d.Value}"));
        Assert.True(Release(blended) > 0.2, $"release {Release(blended)}: {details}");
        Assert.True(blendedKept > blendedKeptWithout + 100, $"kept {blendedKept} with the contrast, {blendedKeptWithout} without");
        Assert.Null(blendedWithout.Signals.Single(s => s.Name == "extraction_volume").Details.GetValueOrDefault("semantic_release"));
        Assert.Contains("about something else", blended.Signals.Single(s => s.Name == "extraction_volume").Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveEngine_EmbedsOffTheLoop_AndTheSamplesReachTheContrast()
    {
        var state = new Scoring.DetectionState(new DetectionOptions { SemanticEmbeddingsPerSecond = 10_000 });
        var scorer = new Scoring.RiskScorer(state, Enforcement.NoOrgContextProvider.Instance, new Enforcement.EnforcementOptions(), TimeProvider.System);
        var engine = new DetectionEngine(state, scorer, Benchmarks.BenchmarkIndex.Empty, [], null,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<DetectionEngine>.Instance, embedder: InProcessSimulation.SharedEmbedder);
        using var stop = new CancellationTokenSource();
        var loop = engine.RunAsync(stop.Token);
        var features = new FeatureBuilder("org-tutor") { Gap = TimeSpan.FromSeconds(6) };
        var random = new Random(42);
        var sent = 0;
        foreach (var request in Tutor(features, random, harvestShare: 0.4))
        {
            engine.Post(request);
            // The builder's clock runs 6 s a request; live, embeddings arrive within milliseconds of their opening. Waiting
            // now and then keeps the embedder within the 30 minutes an opening waits for its follow-up.
            if (++sent % 20 == 0)
            {
                await engine.WhenIdleAsync();
            }
        }
        await engine.WhenIdleAsync();
        var details = engine.Scorer.Get("org-tutor")!.Signals.Single(s => s.Name == "extraction_volume").Details;
        await engine.CompleteAsync();
        await stop.CancelAsync();
        await loop;

        Assert.Equal(0, engine.EmbeddingsDropped);
        Assert.Equal(SemanticContrast.Side, Convert.ToInt32(details["semantic_never_followed_sampled"], CultureInfo.InvariantCulture));
        Assert.True(Convert.ToInt32(details["semantic_followed_sampled"], CultureInfo.InvariantCulture) >= SemanticContrast.MinimumPerSide);
    }

    private static double Release(Scoring.RiskAssessment assessment) =>
        Convert.ToDouble(assessment.Signals.Single(s => s.Name == "extraction_volume").Details["semantic_release"], CultureInfo.InvariantCulture);

    /// <summary>
    /// A homework tutor: word problems, 45% of them followed up by the student; with <paramref name="harvestShare"/>, that
    /// share of its openings are general instructions nobody follows up, sent with the product's own key, system prompt
    /// and parameters.
    /// </summary>
    private static Scoring.RiskAssessment Run(IPromptEmbedder? embedder, double harvestShare, out double kept)
    {
        var engine = DetectionEngine.Create(embedder: embedder);
        foreach (var request in Tutor(new FeatureBuilder("org-tutor") { Gap = TimeSpan.FromSeconds(6) }, new Random(42), harvestShare))
        {
            engine.Process(request);
        }
        var assessment = engine.Scorer.Get("org-tutor")!;
        kept = Convert.ToDouble(assessment.Signals.Single(s => s.Name == "extraction_volume").Details["kept_mass"], CultureInfo.InvariantCulture);
        return assessment;
    }

    private static IEnumerable<Core.Signals.RequestFeatures> Tutor(FeatureBuilder features, Random random, double harvestShare)
    {
        const string system = "You are a patient maths tutor for secondary school students.";
        for (var i = 0; i < 1800; i++)
        {
            if (random.NextDouble() < harvestShare)
            {
                yield return features.Build(Instruction(random), system, temperature: 0.7, maxTokens: 800);
                continue;
            }
            yield return features.Build(WordProblem(random), system, temperature: 0.7, maxTokens: 800);
            if (random.NextDouble() < 0.45)
            {
                yield return features.Build("why divide there?", system, messages: 3, temperature: 0.7, maxTokens: 800);
                i++;
            }
        }
    }

    private static readonly string[] Names = ["Maya", "Tom", "Aisha", "Luca", "Priya", "Ben", "Chen", "Sofia"];
    private static readonly string[] Items = ["apples", "marbles", "stickers", "books", "cupcakes", "pencils", "tickets", "coins"];

    private static string WordProblem(Random r) => r.Next(4) switch
    {
        0 => $"{Names[r.Next(Names.Length)]} has {r.Next(12, 90)} {Items[r.Next(Items.Length)]} and gives away {r.Next(2, 11)} each day. How many are left after {r.Next(2, 7)} days?",
        1 => $"A train travels {r.Next(60, 400)} km in {r.Next(2, 6)} hours. What is its average speed in km per hour?",
        2 => $"Solve for x: {r.Next(2, 9)}x + {r.Next(1, 30)} = {r.Next(31, 120)}. Show me how to get there.",
        _ => $"A rectangle is {r.Next(3, 20)} cm wide and {r.Next(21, 50)} cm long. What are its area and perimeter?",
    };

    private static readonly string[] Forms = ["a persuasive essay", "a product review", "a short story", "a cover letter", "a haiku", "a news summary", "a travel guide", "a recipe blog post", "a speech", "a movie plot"];
    private static readonly string[] Topics = ["renewable energy", "the history of jazz", "remote work", "urban gardening", "ancient Rome", "electric cars", "meditation", "the stock market", "coral reefs", "medieval castles", "social media", "coffee culture", "space tourism", "vintage fashion", "volcanoes", "chess openings"];

    private static string Instruction(Random r) => r.Next(3) switch
    {
        0 => $"Write {Forms[r.Next(Forms.Length)]} about {Topics[r.Next(Topics.Length)]}.",
        1 => $"Explain the main arguments for and against {Topics[r.Next(Topics.Length)]} in {r.Next(3, 8)} paragraphs.",
        _ => $"Give me {r.Next(3, 10)} creative ideas involving {Topics[r.Next(Topics.Length)]} and {Topics[r.Next(Topics.Length)]}.",
    };

    /// <summary>Feeds 80 openings, each followed up or not as its side says, and lets them settle.</summary>
    private static SemanticContrast Fill(SemanticContrast contrast, Random random, Func<float[]> followed, Func<float[]> never)
    {
        var at = Start;
        for (ulong i = 1; i <= 80; i++)
        {
            var isFollowed = random.NextDouble() < 0.5;
            contrast.Add(i, at);
            contrast.Attach(i, isFollowed ? followed() : never(), at);
            if (isFollowed)
            {
                contrast.FollowedUp(i);
            }
            at += TimeSpan.FromMinutes(1);
        }
        contrast.SettleDue(at + SemanticContrast.SettleAfter);
        return contrast;
    }

    private static float[] Direction(Random random)
    {
        var v = new float[64];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (float)Gaussian(random);
        }
        return v;
    }

    /// <summary>A point scattered around <paramref name="centre"/> (as sentences on one subject scatter around it).</summary>
    private static float[] Near(float[] centre, Random random)
    {
        var v = new float[centre.Length];
        var norm = Math.Sqrt(centre.Sum(x => (double)x * x));
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (float)(centre[i] / norm + 0.15 * Gaussian(random));
        }
        return v;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
