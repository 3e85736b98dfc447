using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut5;

/// <summary>
/// A benchmark farmer: math word problems and code-completion items of the public sets plus invented multiple-choice
/// knowledge questions, each re-sampled several times at temperature (in a row, or as one n&gt;1 request), to build a
/// best-of-k answer set.
/// </summary>
public sealed class H5BenchmarkFarmerTenant : HeldOut5Tenant
{
    private static readonly string[] MathTemplates =
    [
        "{0}", "Q: {0}\nA:", "Solve: {0}\nGive the final answer as a number.", "{0}\nPut the final answer after ####.",
    ];

    private readonly SimulatedOrg _org;

    public H5BenchmarkFarmerTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 2_000_000);
        Orgs = [_org];
    }

    public override string Kind => "h5-benchmark-farmer";
    public override bool IsAbusive => true;
    public override int Budget => 500;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var ip = CloudIp();
        var ua = PickFrom("OpenAI/Python 1.54.4", "python-httpx/0.27.2");
        var mathTemplate = PickFrom(MathTemplates);
        var at = Context.Start + TimeSpan.FromMinutes(Random.Next(0, 300));
        while (at < End)
        {
            string prompt;
            var roll = Random.NextDouble();
            if (roll < 0.5)
            {
                prompt = Fill(mathTemplate, Pick(Data.Gsm8k).Question);
            }
            else if (roll < 0.7)
            {
                prompt = Pick(Data.HumanEval).Prompt;
            }
            else
            {
                var (stem, options) = H5Text.MultipleChoice(Random);
                prompt = $"{stem}\n" + string.Join("\n", options.Select((o, j) => $"({(char)('A' + j)}) {o}")) + "\nAnswer:";
            }
            var samples = Random.Next(4, 9);
            var temperature = PickFrom(0.7, 0.8, 1.0);
            if (Chance(0.5))
            {
                yield return Request(_org, at, ip, ua, null, null, prompt, n: samples, temperature: temperature, maxTokens: 1024);
                at += SteadyGap(4, 0.4);
                continue;
            }
            for (var s = 0; s < samples && at < End; s++)
            {
                yield return Request(_org, at, ip, ua, null, null, prompt, temperature: temperature, maxTokens: 1024, keyIndex: s);
                at += SteadyGap(2.5, 0.4);
            }
        }
    }
}

/// <summary>
/// Judge and preference data mining ("rubric-based grading" used to train a reward model): the model rates pairs of
/// answers (a good one and a degraded or off-topic one) against a rubric, or scores a single answer, with JSON output.
/// </summary>
public sealed class H5RubricDataMinerTenant : HeldOut5Tenant
{
    private static readonly string[] Rubrics =
    [
        "Rubric: helpfulness (1-10), factual accuracy (1-10), harmlessness (1-10), concision (1-10).",
        "Score each response on: follows instructions, correctness, completeness, tone. Use 1-5 per criterion.",
        "Criteria: relevance, depth, clarity, safety. Give each a score from 0 to 10 with a one-line justification.",
    ];

    private readonly SimulatedOrg _org;

    public H5RubricDataMinerTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 2_000_000);
        Orgs = [_org];
    }

    public override string Kind => "h5-rubric-data-miner";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var ip = CloudIp();
        var system = PickFrom<string?>(null, "You are an impartial expert judge of AI assistant responses.", "You evaluate answer quality strictly and consistently.");
        var start = Context.Start + TimeSpan.FromMinutes(Random.Next(0, 200));
        foreach (var at in WorkerTimes(4, start, _ => HumanGap(28)))
        {
            var item = Pick(Data.AlpacaInstructions);
            var good = item.Output;
            var bad = Random.Next(3) switch
            {
                0 => Pick(Data.AlpacaInstructions).Output,
                1 => good.Length > 60 ? good[..(good.Length / 3)] : "I'm not sure.",
                _ => string.Join(". ", good.Split(". ").Reverse()),
            };
            var (a, b) = Chance(0.5) ? (good, bad) : (bad, good);
            var prompt = Chance(0.7)
                ? $"{PickFrom(Rubrics)}\n\n[Question]\n{AlpacaText(item)}\n\n[Response A]\n{a}\n\n[Response B]\n{b}\n\nRate both responses, explain your scores, then output JSON: {{\"score_a\": ..., \"score_b\": ..., \"preferred\": \"A\" or \"B\"}}."
                : $"{PickFrom(Rubrics)}\n\n[Question]\n{AlpacaText(item)}\n\n[Response]\n{a}\n\nGrade the response against the rubric. Output your reasoning, then a JSON object with the scores.";
            yield return Request(_org, at, ip, "AsyncOpenAI/Python 1.58.1", system, null, prompt, temperature: PickFrom(0.0, 0.3), maxTokens: 1024);
        }
    }
}
