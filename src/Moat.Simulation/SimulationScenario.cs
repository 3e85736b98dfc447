using System.Text.Json;
using System.Text.Json.Serialization;
using Moat.Simulation.Tenants;
using Moat.Simulation.Tenants.HeldOut;
using Moat.Simulation.Tenants.HeldOut2;
using Moat.Simulation.Tenants.HeldOut3;
using Moat.Simulation.Tenants.HeldOut4;
using Moat.Simulation.Tenants.HeldOut5;
using Moat.Simulation.Tenants.HeldOut6;

namespace Moat.Simulation;

/// <summary>
/// A population to simulate: tenant kinds and counts, the data split, the simulated day and the model release.
/// Loaded from JSON (<c>{"name":…,"seed":…,"split":"HeldOut","durationHours":24,"tenants":{"chat-user":1000,…}}</c>)
/// or built in: <c>default</c> (the full report), <c>quick</c> (the CI test), and the held-out population
/// <c>held-out</c>, <c>held-out-quick</c> and <c>evasion</c>, the second held-out population <c>held-out-2</c> and <c>held-out-2-quick</c>,
/// the third held-out population <c>held-out-3</c> and <c>held-out-3-quick</c>, and the fourth held-out population
/// <c>held-out-4</c> and <c>held-out-4-quick</c>, the fifth held-out population <c>held-out-5</c> and <c>held-out-5-quick</c>,
/// and the sixth held-out population <c>held-out-6</c> and <c>held-out-6-quick</c>.
/// </summary>
public sealed class SimulationScenario
{
    public string Name { get; set; } = "custom";
    public int Seed { get; set; } = 20250106;
    public DataSplit Split { get; set; } = DataSplit.HeldOut;
    public double DurationHours { get; set; } = 24;
    public double ReleaseAfterHours { get; set; } = 8;

    /// <summary>Abusive tenants stop once every one of their orgs scores at least this (nothing more to learn for the ROC table).</summary>
    public double StopAbusiveAtScore { get; set; } = 96;

    public Dictionary<string, int> Tenants { get; set; } = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Kinds { get; } =
    [
        "chat-user", "step-by-step-user", "support-bot", "batch-translator", "coding-assistant", "eval-team-allow-listed", "eval-team-small",
        "self-instruct-generator", "paraphrasing-distiller", "cot-harvester", "gsm8k-harvester", "humaneval-harvester", "hydra", "slow-and-low",
        "plain-distiller", "tutoring-product", "writing-product",
        // The held-out population: written blind to the detector and the tenants above.
        "ho-chat-user", "ho-support-bot", "ho-math-tutor", "ho-spot-checker", "ho-eval-oneoff", "ho-translation-vendor", "ho-labelling-shop",
        "ho-agent-framework", "ho-school-worksheet", "ho-rag-bot", "ho-writing-assistant",
        "ho-cue-free-distiller", "ho-reasoning-trace-extractor", "ho-cot-mixed", "ho-slow-and-low-10", "ho-slow-and-low-20", "ho-slow-and-low-30",
        "ho-hydra-20", "ho-paraphrase-families", "ho-benchmark-harvester", "ho-prada", "ho-release-chaser",
        // The second held-out population: written blind to the detector and to both populations above.
        "h2-chat-app", "h2-customer-service", "h2-homework-helper", "h2-eval-spot-check", "h2-model-comparison", "h2-bulk-summariser",
        "h2-localisation", "h2-content-farm", "h2-code-copilot", "h2-quiz-app", "h2-research-lab",
        "h2-alpaca-generator", "h2-reasoning-extractor", "h2-rejection-sampler", "h2-quiet-distiller", "h2-blended-10", "h2-blended-25",
        "h2-hydra-30", "h2-fewshot-harvester", "h2-benchmark-sweeper", "h2-post-release-rush", "h2-conversation-faker",
        // The third held-out population: written blind to the detector and to the three populations above.
        "h3-personal-assistant-app", "h3-legal-drafting", "h3-tutoring-marketplace", "h3-benchmark-curious-dev", "h3-data-extraction", "h3-game-npc",
        "h3-newsroom", "h3-survey-coder", "h3-eval-vendor", "h3-recruiting-bot",
        "h3-orca-style", "h3-persona-distiller", "h3-trickle-harvester", "h3-mixed-product-15", "h3-mixed-product-30", "h3-hydra-10x3",
        "h3-multilingual-harvester", "h3-code-distiller", "h3-benchmark-scraper", "h3-judge-harvester", "h3-conversation-laundering",
        // The fourth held-out population: written blind to the detector and to the four populations above.
        "h4-chat-product", "h4-math-homework", "h4-classroom-worksheet", "h4-fiction-studio", "h4-subtitle-translation", "h4-moderation-labeller",
        "h4-agent-ops", "h4-docs-rag-support", "h4-pair-programmer", "h4-quality-grader", "h4-benchmark-sanity",
        "h4-self-instruct-farm", "h4-reasoning-trace-miner", "h4-evol-instruct", "h4-preference-miner", "h4-benchmark-resampler", "h4-release-surge",
        "h4-blend-10", "h4-blend-20", "h4-blend-30", "h4-hydra-swarm", "h4-template-rotator", "h4-cot-sprinkler", "h4-tool-launderer",
        // The fifth held-out population: written blind to the detector and to the populations above.
        "h5-consumer-chat", "h5-coding-interview-prep", "h5-flashcard-generator", "h5-test-data-generator", "h5-spreadsheet-addin", "h5-seo-agency",
        "h5-medical-scribe", "h5-model-eval-once", "h5-leaderboard-lab", "h5-multilingual-support", "h5-research-assistant", "h5-kids-homework",
        "h5-capability-distiller", "h5-self-play-conversations", "h5-reseller-hydra", "h5-quiet-long-answers", "h5-blend-10", "h5-blend-20", "h5-blend-30",
        "h5-benchmark-farmer", "h5-rubric-data-miner", "h5-persona-rotation", "h5-release-rush", "h5-desensitised-harvest",
        // The sixth held-out population: written blind to the detector and to the populations above, from public accounts of real campaigns and products.
        "h6-consumer-chat", "h6-math-tutor", "h6-eval-then-use", "h6-translation-vendor", "h6-labelling-shop", "h6-agent-framework",
        "h6-school-worksheet", "h6-support-bot", "h6-docs-rag", "h6-marketing-content", "h6-coding-assistant", "h6-prompt-regression",
        "h6-blend-10", "h6-blend-20", "h6-blend-30", "h6-hydra-20", "h6-template-families", "h6-cot-extractor", "h6-self-instruct",
        "h6-benchmark-harvester", "h6-context-wrapper", "h6-release-rush", "h6-agentic-trace", "h6-prada-probe", "h6-multilingual-trace",
    ];

    /// <summary>The first held-out population: written blind to the detector and the dev tenants.</summary>
    public static HeldOutPopulation HeldOut1Population { get; } = new(
        "ho-", Seed: 61_2026_07,
        Benign:
        [
            "ho-chat-user", "ho-support-bot", "ho-spot-checker",
            "ho-math-tutor", "ho-eval-oneoff", "ho-translation-vendor", "ho-labelling-shop", "ho-agent-framework", "ho-school-worksheet",
            "ho-rag-bot", "ho-writing-assistant",
        ],
        Abusive:
        [
            "ho-cue-free-distiller", "ho-reasoning-trace-extractor", "ho-cot-mixed", "ho-slow-and-low-10", "ho-slow-and-low-20", "ho-slow-and-low-30",
            "ho-hydra-20", "ho-paraphrase-families", "ho-benchmark-harvester", "ho-prada", "ho-release-chaser",
        ],
        Harvesters: ["ho-benchmark-harvester"],
        Direct: ["ho-cue-free-distiller", "ho-reasoning-trace-extractor"],
        Evasion: ["ho-slow-and-low-10", "ho-slow-and-low-20", "ho-slow-and-low-30", "ho-hydra-20", "ho-paraphrase-families"]);

    /// <summary>The second held-out population: written blind to the detector and to the populations above.</summary>
    public static HeldOutPopulation HeldOut2Population { get; } = new(
        "h2-", Seed: 7_2026_12,
        Benign:
        [
            "h2-chat-app", "h2-customer-service", "h2-homework-helper", "h2-eval-spot-check", "h2-model-comparison", "h2-bulk-summariser",
            "h2-localisation", "h2-content-farm", "h2-code-copilot", "h2-quiz-app", "h2-research-lab",
        ],
        Abusive:
        [
            "h2-alpaca-generator", "h2-reasoning-extractor", "h2-rejection-sampler", "h2-quiet-distiller", "h2-blended-10", "h2-blended-25",
            "h2-hydra-30", "h2-fewshot-harvester", "h2-benchmark-sweeper", "h2-post-release-rush", "h2-conversation-faker",
        ],
        Harvesters: ["h2-fewshot-harvester", "h2-benchmark-sweeper"],
        Direct: ["h2-alpaca-generator", "h2-quiet-distiller", "h2-reasoning-extractor"],
        Evasion: ["h2-blended-10", "h2-blended-25", "h2-hydra-30", "h2-conversation-faker", "h2-fewshot-harvester"]);

    /// <summary>The third held-out population: written blind to the detector and to the populations above.</summary>
    public static HeldOutPopulation HeldOut3Population { get; } = new(
        "h3-", Seed: 3_2026_12_07,
        Benign:
        [
            "h3-personal-assistant-app", "h3-legal-drafting", "h3-tutoring-marketplace", "h3-benchmark-curious-dev", "h3-data-extraction", "h3-game-npc",
            "h3-newsroom", "h3-survey-coder", "h3-eval-vendor", "h3-recruiting-bot",
        ],
        Abusive:
        [
            "h3-orca-style", "h3-persona-distiller", "h3-trickle-harvester", "h3-mixed-product-15", "h3-mixed-product-30", "h3-hydra-10x3",
            "h3-multilingual-harvester", "h3-code-distiller", "h3-benchmark-scraper", "h3-judge-harvester", "h3-conversation-laundering",
        ],
        Harvesters: ["h3-benchmark-scraper"],
        Direct: ["h3-orca-style", "h3-persona-distiller", "h3-code-distiller"],
        Evasion: ["h3-mixed-product-15", "h3-mixed-product-30", "h3-hydra-10x3", "h3-trickle-harvester", "h3-conversation-laundering"]);

    /// <summary>The fourth held-out population: written blind to the detector and to the populations above.</summary>
    public static HeldOutPopulation HeldOut4Population { get; } = new(
        "h4-", Seed: 4_2026_12_07,
        Benign:
        [
            "h4-chat-product", "h4-math-homework", "h4-classroom-worksheet", "h4-fiction-studio", "h4-subtitle-translation", "h4-moderation-labeller",
            "h4-agent-ops", "h4-docs-rag-support", "h4-pair-programmer", "h4-quality-grader", "h4-benchmark-sanity",
        ],
        Abusive:
        [
            "h4-self-instruct-farm", "h4-reasoning-trace-miner", "h4-evol-instruct", "h4-preference-miner", "h4-benchmark-resampler", "h4-release-surge",
            "h4-blend-10", "h4-blend-20", "h4-blend-30", "h4-hydra-swarm", "h4-template-rotator", "h4-cot-sprinkler", "h4-tool-launderer",
        ],
        Harvesters: ["h4-benchmark-resampler"],
        Direct: ["h4-self-instruct-farm", "h4-reasoning-trace-miner", "h4-evol-instruct"],
        Evasion: ["h4-blend-10", "h4-blend-20", "h4-blend-30", "h4-hydra-swarm", "h4-template-rotator", "h4-cot-sprinkler", "h4-tool-launderer"]);

    /// <summary>The fifth held-out population: written blind to the detector and to the populations above.</summary>
    public static HeldOutPopulation HeldOut5Population { get; } = new(
        "h5-", Seed: 5_2026_12_07,
        Benign:
        [
            "h5-consumer-chat", "h5-coding-interview-prep", "h5-flashcard-generator", "h5-test-data-generator", "h5-spreadsheet-addin", "h5-seo-agency",
            "h5-medical-scribe", "h5-model-eval-once", "h5-leaderboard-lab", "h5-multilingual-support", "h5-research-assistant", "h5-kids-homework",
        ],
        Abusive:
        [
            "h5-capability-distiller", "h5-self-play-conversations", "h5-reseller-hydra", "h5-quiet-long-answers", "h5-blend-10", "h5-blend-20", "h5-blend-30",
            "h5-benchmark-farmer", "h5-rubric-data-miner", "h5-persona-rotation", "h5-release-rush", "h5-desensitised-harvest",
        ],
        Harvesters: ["h5-benchmark-farmer"],
        Direct: ["h5-capability-distiller", "h5-quiet-long-answers", "h5-persona-rotation"],
        Evasion: ["h5-blend-10", "h5-blend-20", "h5-blend-30", "h5-reseller-hydra", "h5-self-play-conversations", "h5-desensitised-harvest"]);

    /// <summary>The sixth held-out population: written blind to the detector and to the populations above.</summary>
    public static HeldOutPopulation HeldOut6Population { get; } = new(
        "h6-", Seed: 6_2026_12_07,
        Benign:
        [
            "h6-consumer-chat", "h6-math-tutor", "h6-eval-then-use", "h6-translation-vendor", "h6-labelling-shop", "h6-agent-framework",
            "h6-school-worksheet", "h6-support-bot", "h6-docs-rag", "h6-marketing-content", "h6-coding-assistant", "h6-prompt-regression",
        ],
        Abusive:
        [
            "h6-blend-10", "h6-blend-20", "h6-blend-30", "h6-hydra-20", "h6-template-families", "h6-cot-extractor", "h6-self-instruct",
            "h6-benchmark-harvester", "h6-context-wrapper", "h6-release-rush", "h6-agentic-trace", "h6-prada-probe", "h6-multilingual-trace",
        ],
        Harvesters: ["h6-benchmark-harvester"],
        Direct: ["h6-self-instruct", "h6-cot-extractor", "h6-agentic-trace"],
        Evasion: ["h6-blend-10", "h6-blend-20", "h6-blend-30", "h6-hydra-20", "h6-template-families", "h6-context-wrapper"]);

    /// <summary>The held-out populations, each written by its own session.</summary>
    public static IReadOnlyList<HeldOutPopulation> HeldOutPopulations { get; } = [HeldOut1Population, HeldOut2Population, HeldOut3Population, HeldOut4Population, HeldOut5Population, HeldOut6Population];

    public static SimulationScenario Default() => new()
    {
        Name = "default",
        Tenants = new(StringComparer.Ordinal)
        {
            ["chat-user"] = 2000, ["step-by-step-user"] = 300, ["support-bot"] = 40, ["batch-translator"] = 30, ["coding-assistant"] = 60,
            ["eval-team-allow-listed"] = 20, ["eval-team-small"] = 50,
            ["self-instruct-generator"] = 100, ["paraphrasing-distiller"] = 100, ["cot-harvester"] = 100, ["gsm8k-harvester"] = 100,
            ["humaneval-harvester"] = 100, ["hydra"] = 30, ["slow-and-low"] = 100, ["plain-distiller"] = 50,
        },
    };

    /// <summary>The reduced run of the CI test: 1,200 benign tenants (hard negatives included) and 170 abusive ones.</summary>
    /// <summary>
    /// The population the detector was tuned on: the dev kinds (hard negatives included) on the tuning split of the data,
    /// so the benchmark index knows their items. What docs/detection.md reports as "dev".
    /// </summary>
    public static SimulationScenario Dev() => new()
    {
        Name = "dev",
        Seed = 777,
        Split = DataSplit.Tuning,
        Tenants = new(StringComparer.Ordinal)
        {
            ["chat-user"] = 900, ["step-by-step-user"] = 150, ["support-bot"] = 30, ["batch-translator"] = 30, ["coding-assistant"] = 40,
            ["eval-team-allow-listed"] = 15, ["eval-team-small"] = 60, ["tutoring-product"] = 20, ["writing-product"] = 20,
            ["self-instruct-generator"] = 25, ["paraphrasing-distiller"] = 25, ["cot-harvester"] = 25, ["gsm8k-harvester"] = 25,
            ["humaneval-harvester"] = 25, ["hydra"] = 10, ["slow-and-low"] = 25, ["plain-distiller"] = 25,
        },
    };

    public static SimulationScenario Quick() => new()
    {
        Name = "quick",
        Tenants = new(StringComparer.Ordinal)
        {
            ["chat-user"] = 900, ["step-by-step-user"] = 150, ["support-bot"] = 30, ["batch-translator"] = 30, ["coding-assistant"] = 40,
            ["eval-team-allow-listed"] = 15, ["eval-team-small"] = 35,
            ["self-instruct-generator"] = 25, ["paraphrasing-distiller"] = 25, ["cot-harvester"] = 25, ["gsm8k-harvester"] = 25,
            ["humaneval-harvester"] = 25, ["hydra"] = 10, ["slow-and-low"] = 25, ["plain-distiller"] = 15,
        },
    };

    /// <summary>Seed of the held-out scenarios (distinct from the default scenario's).</summary>
    public static int HeldOutSeed => HeldOut1Population.Seed;

    /// <summary>
    /// A scenario of one held-out population: <paramref name="eachBenign"/> of every benign kind, except the kinds in
    /// <paramref name="counts"/>, and <paramref name="eachAbusive"/> of every abusive kind.
    /// </summary>
    private static SimulationScenario HeldOutScenario(
        string name, HeldOutPopulation population, int eachBenign, IReadOnlyDictionary<string, int> counts, int eachAbusive)
    {
        var tenants = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var kind in population.Benign)
        {
            tenants[kind] = counts.GetValueOrDefault(kind, eachBenign);
        }
        foreach (var kind in population.Abusive)
        {
            tenants[kind] = eachAbusive;
        }
        return new SimulationScenario { Name = name, Seed = population.Seed, Split = DataSplit.HeldOut, Tenants = tenants };
    }

    private static SimulationScenario HeldOut1Scenario(string name, int chat, int support, int hardNegatives, int spotCheckers, int abusive) =>
        HeldOutScenario(name, HeldOut1Population, hardNegatives,
            new Dictionary<string, int> { ["ho-chat-user"] = chat, ["ho-support-bot"] = support, ["ho-spot-checker"] = spotCheckers }, abusive);

    /// <summary>The held-out population for the docs: 600 benign tenants (30 of each hard-negative kind, 60 spot-checkers) and 20 of each abusive kind.</summary>
    public static SimulationScenario HeldOut() => HeldOut1Scenario("held-out", chat: 240, support: 60, hardNegatives: 30, spotCheckers: 60, abusive: 20);

    /// <summary>The held-out CI run: 224 benign tenants (20 spot-checkers) and 8 of each abusive kind.</summary>
    public static SimulationScenario HeldOutQuick() => HeldOut1Scenario("held-out-quick", chat: 60, support: 16, hardNegatives: 16, spotCheckers: 20, abusive: 8);

    /// <summary>Only the evasion variants (slow-and-low 10/20/30, hydra-20, paraphrase families) among a benign population.</summary>
    public static SimulationScenario Evasion()
    {
        var scenario = HeldOut1Scenario("evasion", chat: 150, support: 20, hardNegatives: 10, spotCheckers: 20, abusive: 0);
        foreach (var kind in HeldOut1Population.Abusive)
        {
            scenario.Tenants.Remove(kind);
        }
        foreach (var kind in HeldOut1Population.Evasion)
        {
            scenario.Tenants[kind] = 20;
        }
        return scenario;
    }

    private static SimulationScenario HeldOut2Scenario(string name, int chat, int support, int spotCheck, int otherBenign, int abusive) =>
        HeldOutScenario(name, HeldOut2Population, otherBenign,
            new Dictionary<string, int> { ["h2-chat-app"] = chat, ["h2-customer-service"] = support, ["h2-eval-spot-check"] = spotCheck }, abusive);

    /// <summary>The second held-out population: 200 chat apps, 60 support bots, 40 spot-checkers, 30 of each other benign kind, 20 of each abusive kind.</summary>
    public static SimulationScenario HeldOut2() => HeldOut2Scenario("held-out-2", chat: 200, support: 60, spotCheck: 40, otherBenign: 30, abusive: 20);

    /// <summary>About a third of <see cref="HeldOut2"/>.</summary>
    public static SimulationScenario HeldOut2Quick() => HeldOut2Scenario("held-out-2-quick", chat: 66, support: 20, spotCheck: 13, otherBenign: 10, abusive: 7);

    private static SimulationScenario HeldOut3Scenario(string name, int assistantApp, int otherBenign, int abusive) =>
        HeldOutScenario(name, HeldOut3Population, otherBenign, new Dictionary<string, int> { ["h3-personal-assistant-app"] = assistantApp }, abusive);

    /// <summary>The third held-out population: 200 personal-assistant apps, 30 of each other benign kind, 20 of each abusive kind.</summary>
    public static SimulationScenario HeldOut3() => HeldOut3Scenario("held-out-3", assistantApp: 200, otherBenign: 30, abusive: 20);

    /// <summary>About a third of <see cref="HeldOut3"/>.</summary>
    public static SimulationScenario HeldOut3Quick() => HeldOut3Scenario("held-out-3-quick", assistantApp: 66, otherBenign: 10, abusive: 7);

    private static SimulationScenario HeldOut4Scenario(string name, int chatProduct, int otherBenign, int abusive) =>
        HeldOutScenario(name, HeldOut4Population, otherBenign, new Dictionary<string, int> { ["h4-chat-product"] = chatProduct }, abusive);

    /// <summary>The fourth held-out population: 200 chat products, 30 of each other benign kind, 20 of each abusive kind.</summary>
    public static SimulationScenario HeldOut4() => HeldOut4Scenario("held-out-4", chatProduct: 200, otherBenign: 30, abusive: 20);

    /// <summary>About a third of <see cref="HeldOut4"/>.</summary>
    public static SimulationScenario HeldOut4Quick() => HeldOut4Scenario("held-out-4-quick", chatProduct: 66, otherBenign: 10, abusive: 7);

    private static SimulationScenario HeldOut5Scenario(string name, int consumerChat, int otherBenign, int abusive) =>
        HeldOutScenario(name, HeldOut5Population, otherBenign, new Dictionary<string, int> { ["h5-consumer-chat"] = consumerChat }, abusive);

    /// <summary>The fifth held-out population: 200 consumer chat apps, 30 of each other benign kind, 20 of each abusive kind.</summary>
    public static SimulationScenario HeldOut5() => HeldOut5Scenario("held-out-5", consumerChat: 200, otherBenign: 30, abusive: 20);

    /// <summary>About a third of <see cref="HeldOut5"/>.</summary>
    public static SimulationScenario HeldOut5Quick() => HeldOut5Scenario("held-out-5-quick", consumerChat: 66, otherBenign: 10, abusive: 7);

    private static SimulationScenario HeldOut6Scenario(string name, int consumerChat, int otherBenign, int abusive) =>
        HeldOutScenario(name, HeldOut6Population, otherBenign, new Dictionary<string, int> { ["h6-consumer-chat"] = consumerChat }, abusive);

    /// <summary>The sixth held-out population: 200 consumer chat apps, 30 of each other benign kind, 20 of each abusive kind.</summary>
    public static SimulationScenario HeldOut6() => HeldOut6Scenario("held-out-6", consumerChat: 200, otherBenign: 30, abusive: 20);

    /// <summary>About a third of <see cref="HeldOut6"/>.</summary>
    public static SimulationScenario HeldOut6Quick() => HeldOut6Scenario("held-out-6-quick", consumerChat: 66, otherBenign: 10, abusive: 7);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>A built-in name (default, quick, held-out, held-out-quick, evasion, held-out-2, held-out-2-quick, held-out-3, held-out-3-quick, held-out-4, held-out-4-quick, held-out-5, held-out-5-quick, held-out-6, held-out-6-quick) or a path to a JSON scenario file.</summary>
    public static SimulationScenario Resolve(string nameOrPath) => nameOrPath switch
    {
        "default" => Default(),
        "quick" => Quick(),
        "dev" => Dev(),
        "held-out" => HeldOut(),
        "held-out-quick" => HeldOutQuick(),
        "evasion" => Evasion(),
        "held-out-2" => HeldOut2(),
        "held-out-2-quick" => HeldOut2Quick(),
        "held-out-3" => HeldOut3(),
        "held-out-3-quick" => HeldOut3Quick(),
        "held-out-4" => HeldOut4(),
        "held-out-4-quick" => HeldOut4Quick(),
        "held-out-5" => HeldOut5(),
        "held-out-5-quick" => HeldOut5Quick(),
        "held-out-6" => HeldOut6(),
        "held-out-6-quick" => HeldOut6Quick(),
        _ => JsonSerializer.Deserialize<SimulationScenario>(File.ReadAllText(nameOrPath), Json)
            ?? throw new InvalidDataException($"Empty scenario file: {nameOrPath}"),
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Creates the tenants, each with its own deterministic random stream.</summary>
    public List<SimulatedTenant> CreateTenants(SimulationData data, DateTimeOffset start)
    {
        var tenants = new List<SimulatedTenant>();
        var release = start + TimeSpan.FromHours(ReleaseAfterHours);
        var duration = TimeSpan.FromHours(DurationHours);
        var seed = Seed;
        // A few corporate NATs shared by unrelated honest users: shared IP prefixes must not link them.
        var sharedPrefixes = Enumerable.Range(0, 8).Select(i => $"100.64.{i}.").ToArray();
        foreach (var kind in Kinds)
        {
            var count = Tenants.GetValueOrDefault(kind);
            for (var i = 0; i < count; i++)
            {
                var id = $"{kind}-{i:D4}";
                var context = new TenantContext(data, start, duration, release, unchecked(seed++ * 7919));
                tenants.Add(kind switch
                {
                    "chat-user" => new ChatUserTenant(id, context, stepByStep: false, sharedIpPrefix: i % 20 == 0 ? sharedPrefixes[i / 20 % 8] : null),
                    "step-by-step-user" => new ChatUserTenant(id, context, stepByStep: true, sharedIpPrefix: null),
                    "support-bot" => new SupportBotTenant(id, context),
                    "batch-translator" => new BatchTranslatorTenant(id, context),
                    "coding-assistant" => new CodingAssistantTenant(id, context),
                    "eval-team-allow-listed" => new EvalTeamTenant(id, context, allowListed: true),
                    "eval-team-small" => new EvalTeamTenant(id, context, allowListed: false),
                    "self-instruct-generator" => new SelfInstructTenant(id, context, paraphrasing: false),
                    "paraphrasing-distiller" => new SelfInstructTenant(id, context, paraphrasing: true),
                    "cot-harvester" => new ReasoningHarvesterTenant(id, context),
                    "gsm8k-harvester" => new BenchmarkHarvesterTenant(id, context, code: false),
                    "humaneval-harvester" => new BenchmarkHarvesterTenant(id, context, code: true),
                    "hydra" => new HydraTenant(id, context),
                    "slow-and-low" => new SlowAndLowTenant(id, context),
                    "plain-distiller" => new PlainDistillerTenant(id, context),
                    "tutoring-product" => new ProductTenant(id, context, tutor: true),
                    "writing-product" => new ProductTenant(id, context, tutor: false),
                    "ho-chat-user" => new HoChatUserTenant(id, context),
                    "ho-support-bot" => new HoSupportBotTenant(id, context),
                    "ho-math-tutor" => new HoMathTutorTenant(id, context),
                    "ho-spot-checker" => new HoSpotCheckerTenant(id, context),
                    "ho-eval-oneoff" => new HoEvalOneoffTenant(id, context),
                    "ho-translation-vendor" => new HoTranslationVendorTenant(id, context),
                    "ho-labelling-shop" => new HoLabellingShopTenant(id, context),
                    "ho-agent-framework" => new HoAgentFrameworkTenant(id, context),
                    "ho-school-worksheet" => new HoSchoolWorksheetTenant(id, context),
                    "ho-rag-bot" => new HoRagBotTenant(id, context),
                    "ho-writing-assistant" => new HoWritingAssistantTenant(id, context),
                    "ho-cue-free-distiller" => new HoCueFreeDistillerTenant(id, context),
                    "ho-reasoning-trace-extractor" => new HoReasoningTraceExtractorTenant(id, context),
                    "ho-cot-mixed" => new HoCotMixedTenant(id, context),
                    "ho-slow-and-low-10" => new HoSlowAndLowTenant(id, context, 10),
                    "ho-slow-and-low-20" => new HoSlowAndLowTenant(id, context, 20),
                    "ho-slow-and-low-30" => new HoSlowAndLowTenant(id, context, 30),
                    "ho-hydra-20" => new HoHydraTenant(id, context),
                    "ho-paraphrase-families" => new HoParaphraseFamiliesTenant(id, context),
                    "ho-benchmark-harvester" => new HoBenchmarkHarvesterTenant(id, context),
                    "ho-prada" => new HoPradaTenant(id, context),
                    "ho-release-chaser" => new HoReleaseChaserTenant(id, context),
                    "h2-chat-app" => new H2ChatAppTenant(id, context),
                    "h2-customer-service" => new H2CustomerServiceTenant(id, context),
                    "h2-homework-helper" => new H2HomeworkHelperTenant(id, context),
                    "h2-eval-spot-check" => new H2EvalSpotCheckTenant(id, context),
                    "h2-model-comparison" => new H2ModelComparisonTenant(id, context),
                    "h2-bulk-summariser" => new H2BulkSummariserTenant(id, context),
                    "h2-localisation" => new H2LocalisationTenant(id, context),
                    "h2-content-farm" => new H2ContentFarmTenant(id, context),
                    "h2-code-copilot" => new H2CodeCopilotTenant(id, context),
                    "h2-quiz-app" => new H2QuizAppTenant(id, context),
                    "h2-research-lab" => new H2ResearchLabTenant(id, context),
                    "h2-alpaca-generator" => new H2AlpacaGeneratorTenant(id, context),
                    "h2-reasoning-extractor" => new H2ReasoningExtractorTenant(id, context),
                    "h2-rejection-sampler" => new H2RejectionSamplerTenant(id, context),
                    "h2-quiet-distiller" => new H2QuietDistillerTenant(id, context),
                    "h2-blended-10" => new H2BlendedTenant(id, context, 10),
                    "h2-blended-25" => new H2BlendedTenant(id, context, 25),
                    "h2-hydra-30" => new H2Hydra30Tenant(id, context),
                    "h2-fewshot-harvester" => new H2FewshotHarvesterTenant(id, context),
                    "h2-benchmark-sweeper" => new H2BenchmarkSweeperTenant(id, context),
                    "h2-post-release-rush" => new H2PostReleaseRushTenant(id, context),
                    "h2-conversation-faker" => new H2ConversationFakerTenant(id, context),
                    "h3-personal-assistant-app" => new H3PersonalAssistantAppTenant(id, context),
                    "h3-legal-drafting" => new H3LegalDraftingTenant(id, context),
                    "h3-tutoring-marketplace" => new H3TutoringMarketplaceTenant(id, context),
                    "h3-benchmark-curious-dev" => new H3BenchmarkCuriousDevTenant(id, context),
                    "h3-data-extraction" => new H3DataExtractionTenant(id, context),
                    "h3-game-npc" => new H3GameNpcTenant(id, context),
                    "h3-newsroom" => new H3NewsroomTenant(id, context),
                    "h3-survey-coder" => new H3SurveyCoderTenant(id, context),
                    "h3-eval-vendor" => new H3EvalVendorTenant(id, context),
                    "h3-recruiting-bot" => new H3RecruitingBotTenant(id, context),
                    "h3-orca-style" => new H3OrcaStyleTenant(id, context),
                    "h3-persona-distiller" => new H3PersonaDistillerTenant(id, context),
                    "h3-trickle-harvester" => new H3TrickleHarvesterTenant(id, context),
                    "h3-mixed-product-15" => new H3MixedProductTenant(id, context, 15),
                    "h3-mixed-product-30" => new H3MixedProductTenant(id, context, 30),
                    "h3-hydra-10x3" => new H3Hydra10x3Tenant(id, context),
                    "h3-multilingual-harvester" => new H3MultilingualHarvesterTenant(id, context),
                    "h3-code-distiller" => new H3CodeDistillerTenant(id, context),
                    "h3-benchmark-scraper" => new H3BenchmarkScraperTenant(id, context),
                    "h3-judge-harvester" => new H3JudgeHarvesterTenant(id, context),
                    "h3-conversation-laundering" => new H3ConversationLaunderingTenant(id, context),
                    "h4-chat-product" => new H4ChatProductTenant(id, context),
                    "h4-math-homework" => new H4MathHomeworkTenant(id, context),
                    "h4-classroom-worksheet" => new H4ClassroomWorksheetTenant(id, context),
                    "h4-fiction-studio" => new H4FictionStudioTenant(id, context),
                    "h4-subtitle-translation" => new H4SubtitleTranslationTenant(id, context),
                    "h4-moderation-labeller" => new H4ModerationLabellerTenant(id, context),
                    "h4-agent-ops" => new H4AgentOpsTenant(id, context),
                    "h4-docs-rag-support" => new H4DocsRagSupportTenant(id, context),
                    "h4-pair-programmer" => new H4PairProgrammerTenant(id, context),
                    "h4-quality-grader" => new H4QualityGraderTenant(id, context),
                    "h4-benchmark-sanity" => new H4BenchmarkSanityTenant(id, context),
                    "h4-self-instruct-farm" => new H4SelfInstructFarmTenant(id, context),
                    "h4-reasoning-trace-miner" => new H4ReasoningTraceMinerTenant(id, context),
                    "h4-evol-instruct" => new H4EvolInstructTenant(id, context),
                    "h4-preference-miner" => new H4PreferenceMinerTenant(id, context),
                    "h4-benchmark-resampler" => new H4BenchmarkResamplerTenant(id, context),
                    "h4-release-surge" => new H4ReleaseSurgeTenant(id, context),
                    "h4-blend-10" => new H4BlendTenant(id, context, 10),
                    "h4-blend-20" => new H4BlendTenant(id, context, 20),
                    "h4-blend-30" => new H4BlendTenant(id, context, 30),
                    "h4-hydra-swarm" => new H4HydraSwarmTenant(id, context),
                    "h4-template-rotator" => new H4TemplateRotatorTenant(id, context),
                    "h4-cot-sprinkler" => new H4CotSprinklerTenant(id, context),
                    "h4-tool-launderer" => new H4ToolLaundererTenant(id, context),
                    "h5-consumer-chat" => new H5ConsumerChatTenant(id, context),
                    "h5-coding-interview-prep" => new H5CodingInterviewPrepTenant(id, context),
                    "h5-flashcard-generator" => new H5FlashcardGeneratorTenant(id, context),
                    "h5-test-data-generator" => new H5TestDataGeneratorTenant(id, context),
                    "h5-spreadsheet-addin" => new H5SpreadsheetAddinTenant(id, context),
                    "h5-seo-agency" => new H5SeoAgencyTenant(id, context),
                    "h5-medical-scribe" => new H5MedicalScribeTenant(id, context),
                    "h5-model-eval-once" => new H5ModelEvalOnceTenant(id, context),
                    "h5-leaderboard-lab" => new H5LeaderboardLabTenant(id, context),
                    "h5-multilingual-support" => new H5MultilingualSupportTenant(id, context),
                    "h5-research-assistant" => new H5ResearchAssistantTenant(id, context),
                    "h5-kids-homework" => new H5KidsHomeworkTenant(id, context),
                    "h5-capability-distiller" => new H5CapabilityDistillerTenant(id, context),
                    "h5-self-play-conversations" => new H5SelfPlayConversationsTenant(id, context),
                    "h5-reseller-hydra" => new H5ResellerHydraTenant(id, context),
                    "h5-quiet-long-answers" => new H5QuietLongAnswersTenant(id, context),
                    "h5-blend-10" => new H5BlendTenant(id, context, 10),
                    "h5-blend-20" => new H5BlendTenant(id, context, 20),
                    "h5-blend-30" => new H5BlendTenant(id, context, 30),
                    "h5-benchmark-farmer" => new H5BenchmarkFarmerTenant(id, context),
                    "h5-rubric-data-miner" => new H5RubricDataMinerTenant(id, context),
                    "h5-persona-rotation" => new H5PersonaRotationTenant(id, context),
                    "h5-release-rush" => new H5ReleaseRushTenant(id, context),
                    "h5-desensitised-harvest" => new H5DesensitisedHarvestTenant(id, context),
                    "h6-consumer-chat" => new H6ConsumerChatTenant(id, context),
                    "h6-math-tutor" => new H6MathTutorTenant(id, context),
                    "h6-eval-then-use" => new H6EvalThenUseTenant(id, context),
                    "h6-translation-vendor" => new H6TranslationVendorTenant(id, context),
                    "h6-labelling-shop" => new H6LabellingShopTenant(id, context),
                    "h6-agent-framework" => new H6AgentFrameworkTenant(id, context),
                    "h6-school-worksheet" => new H6SchoolWorksheetTenant(id, context),
                    "h6-support-bot" => new H6SupportBotTenant(id, context),
                    "h6-docs-rag" => new H6DocsRagTenant(id, context),
                    "h6-marketing-content" => new H6MarketingContentTenant(id, context),
                    "h6-coding-assistant" => new H6CodingAssistantTenant(id, context),
                    "h6-prompt-regression" => new H6PromptRegressionTenant(id, context),
                    "h6-blend-10" => new H6BlendTenant(id, context, 10),
                    "h6-blend-20" => new H6BlendTenant(id, context, 20),
                    "h6-blend-30" => new H6BlendTenant(id, context, 30),
                    "h6-hydra-20" => new H6Hydra20Tenant(id, context),
                    "h6-template-families" => new H6TemplateFamiliesTenant(id, context),
                    "h6-cot-extractor" => new H6CotExtractorTenant(id, context),
                    "h6-self-instruct" => new H6SelfInstructTenant(id, context),
                    "h6-benchmark-harvester" => new H6BenchmarkHarvesterTenant(id, context),
                    "h6-context-wrapper" => new H6ContextWrapperTenant(id, context),
                    "h6-release-rush" => new H6ReleaseRushTenant(id, context),
                    "h6-agentic-trace" => new H6AgenticTraceTenant(id, context),
                    "h6-prada-probe" => new H6PradaProbeTenant(id, context),
                    "h6-multilingual-trace" => new H6MultilingualTraceTenant(id, context),
                    _ => throw new InvalidDataException($"Unknown tenant kind '{kind}'."),
                });
            }
        }
        foreach (var kind in Tenants.Keys)
        {
            if (!Kinds.Contains(kind))
            {
                throw new InvalidDataException($"Unknown tenant kind '{kind}'. Known: {string.Join(", ", Kinds)}.");
            }
        }
        return tenants;
    }
}

/// <summary>
/// One held-out population (tenant kinds sharing a prefix, written blind by one session): its benign and abusive kinds,
/// the benchmark harvesters (budget 500) among the abusive ones, the direct harvesters the evasion variants are
/// compared with, and its seed.
/// </summary>
public sealed record HeldOutPopulation(
    string Prefix, int Seed, IReadOnlyList<string> Benign, IReadOnlyList<string> Abusive,
    IReadOnlyList<string> Harvesters, IReadOnlyList<string> Direct, IReadOnlyList<string> Evasion)
{
    /// <summary>The abusive kinds the distiller-recall target is measured on: all but the benchmark harvesters.</summary>
    public IReadOnlyList<string> Distillers => [.. Abusive.Except(Harvesters)];
}
