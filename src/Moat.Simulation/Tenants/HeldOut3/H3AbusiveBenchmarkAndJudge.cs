using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut3;

/// <summary>
/// A benchmark scraper (not allow-listed): walks an MMLU/ARC-like suite in order with an answer-extraction prompt
/// ("answer with the letter only"), resampling each item (n&gt;1 or repeats at temperature) to get answer distributions.
/// </summary>
public sealed class H3BenchmarkScraperTenant : H3AbusiveTenant
{
    private readonly SimulatedOrg _org;

    public H3BenchmarkScraperTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 2), 300_000, useCase: PickFrom("research", null, "other", "coding"));
        Orgs = [_org];
    }

    public override string Kind => "h3-benchmark-scraper";
    public override int Budget => 500;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var ip = CloudIp();
        var ua = PickFrom("OpenAI/Python 1.52.2", "python-httpx/0.27.0", "python-requests/2.32.3");
        var suites = H3Bench.MultipleChoice.GroupBy(i => i.Suite).Select(g => g.ToList()).OrderBy(_ => Random.Next()).ToList();
        var template = Random.Next(4);
        var samples = Between(1, 4);
        var useN = Chance(0.5);
        var gap = 0.8 + Random.NextDouble() * 4;
        var at = Context.Start + TimeSpan.FromMinutes(Between(0, 600));
        foreach (var suite in suites)
        {
            var start = Random.Next(suite.Count);
            for (var k = 0; k < suite.Count; k++)
            {
                var item = suite[(start + k) % suite.Count];
                var user = template switch
                {
                    0 => $"{H3Bench.Render(item, withAnswerCue: false)}\n\nAnswer with only the letter of the correct option.",
                    1 => $"The following is a multiple choice question about {item.Subject.Replace('_', ' ')}. Output the answer as a single letter.\n\n{H3Bench.Render(item)}",
                    2 => $"Question: {H3Bench.Render(item, withAnswerCue: false)}\nRespond in JSON: {{\"answer\": \"<letter>\", \"confidence\": <0-1>}}",
                    _ => $"{H3Bench.Render(item, withAnswerCue: false)}\n\nFirst reason briefly, then give the final answer on the last line as 'Answer: X'.",
                };
                var repeats = useN ? 1 : samples;
                for (var s = 0; s < repeats; s++)
                {
                    at += SteadyGap(gap, 0.4);
                    if (at >= End)
                    {
                        yield break;
                    }
                    yield return Request(_org, at, ip, ua, null, null, user, n: useN ? samples : 1,
                        temperature: samples > 1 ? 1.0 : 0.0, maxTokens: template == 3 ? 400 : 5, logprobs: template == 1 && Chance(0.5));
                }
            }
        }
    }
}

/// <summary>
/// A preference-data harvester (RLAIF / UltraFeedback / MT-Bench-judge style): asks the model to compare two answers
/// (both orders, to cancel position bias) or to grade one on several aspects, collecting judgements for reward modelling.
/// </summary>
public sealed class H3JudgeHarvesterTenant : H3AbusiveTenant
{
    private readonly SimulatedOrg _org;

    public H3JudgeHarvesterTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 3), 600_000, useCase: PickFrom("research", "evaluation", null, "other"));
        Orgs = [_org];
    }

    public override string Kind => "h3-judge-harvester";

    private string Degrade(string answer)
    {
        var sentences = answer.Split(". ", StringSplitOptions.RemoveEmptyEntries).ToList();
        return Random.Next(4) switch
        {
            0 when sentences.Count > 1 => string.Join(". ", sentences.Take(Math.Max(1, sentences.Count / 2))) + ".",
            1 => answer.Replace(" not ", " ", StringComparison.Ordinal).Replace(" is ", " is not ", StringComparison.Ordinal),
            2 => Pick(Data.AlpacaInstructions).Output,
            _ => answer + " " + PickFrom("I hope this helps!", "However, results may vary.", "This is the only correct approach."),
        };
    }

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var ip = CloudIp();
        var ua = PickFrom("OpenAI/Python 1.52.2", "python-httpx/0.27.0", "distilabel/1.3 OpenAI/Python 1.40.0");
        var at = Context.Start + TimeSpan.FromMinutes(Between(0, 300));
        var gap = 2 + Random.NextDouble() * 8;
        var pairwise = "Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user question displayed below. You should choose the assistant that follows the user's instructions and answers the user's question better. Consider helpfulness, relevance, accuracy, depth, creativity, and level of detail. Avoid any position biases. Begin your evaluation by comparing the two responses and provide a short explanation. After providing your explanation, output your final verdict by strictly following this format: \"[[A]]\" if assistant A is better, \"[[B]]\" if assistant B is better, and \"[[C]]\" for a tie.";
        var single = "Please act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Be as objective as possible. After providing your explanation, rate the response on a scale of 1 to 10 by strictly following this format: \"[[rating]]\".";
        var mode = Random.Next(3);
        while (at < End)
        {
            var item = Pick(Data.AlpacaInstructions);
            var question = AlpacaAsk(item);
            var good = item.Output;
            var bad = Degrade(good);
            var thisMode = mode == 2 ? Random.Next(2) : mode;
            if (thisMode == 0)
            {
                var swap = Chance(0.5);
                foreach (var flipped in new[] { swap, !swap })
                {
                    at += PoissonGap(gap);
                    var (a, b) = flipped ? (bad, good) : (good, bad);
                    yield return Request(_org, at, ip, ua, pairwise, null,
                        $"[User Question]\n{question}\n\n[The Start of Assistant A's Answer]\n{a}\n[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\n{b}\n[The End of Assistant B's Answer]",
                        temperature: 0, maxTokens: 700);
                }
            }
            else
            {
                at += PoissonGap(gap);
                var answer = Chance(0.5) ? good : bad;
                var user = Chance(0.5)
                    ? $"[Question]\n{question}\n\n[The Start of Assistant's Answer]\n{answer}\n[The End of Assistant's Answer]"
                    : $"Instruction: {question}\n\nResponse: {answer}\n\nRate the response on helpfulness, honesty, instruction-following and truthfulness, each 1–5, with a one-sentence rationale per aspect. Return JSON.";
                yield return Request(_org, at, ip, ua, single, null, user, temperature: 0, maxTokens: 500);
            }
        }
    }
}
