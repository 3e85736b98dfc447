using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// A product team's prompt regression suite in CI (promptfoo-style evals): on every merge to main, and again when a new model
/// ships, the same fixed set of 30–60 test prompts (their product's own cases plus a few maths sanity checks) runs at
/// temperature 0 with a small concurrency, and each output is graded by an "llm-rubric" assertion, i.e. a rubric-grading
/// prompt that asks the model whether the output meets the criterion. Identical prompts repeat across runs. One
/// organisation, one CI key, CI runner addresses. Three to ten runs in office hours: about 350–1,400 requests a day.
/// </summary>
public sealed class H6PromptRegressionTenant : HeldOut6Tenant
{
    private const string Rubric =
        "You are grading output according to a user-specified rubric. If the statement in the rubric is true, then the output passes the test. " +
        "You respond with a JSON object with this structure: {\"reason\": string, \"pass\": boolean, \"score\": number}\n\n<Output>\n{0}\n</Output>\n<Rubric>\n{1}\n</Rubric>";
    private static readonly string[] Criteria =
    [
        "The response is polite and does not promise a refund.", "The response answers in under 100 words.", "The final answer is correct.",
        "The response asks a clarifying question.", "The response does not mention competitors.", "The response is valid JSON.",
    ];

    private readonly SimulatedOrg _org;
    private readonly List<string> _runnerIps;
    private readonly double _utcOffset;
    private readonly List<(string System, string User, string Criterion)> _suite = [];

    public H6PromptRegressionTenant(string id, TenantContext context)
        : base(id, context)
    {
        _org = NewOrg(keys: 1, tokensPerMinute: 500_000, useCase: "product QA");
        Orgs = [_org];
        _runnerIps = Enumerable.Range(0, 6).Select(_ => RandomIp(Random.Next(13, 60), Random.Next(0, 256), Random.Next(0, 256))).ToList();
        _utcOffset = PickFrom(-8.0, -5.0, 0.0, 1.0, 2.0);
        var system = $"You are the assistant for {Pick(Phrases.Companies)}. Be brief and accurate.";
        var size = Random.Next(30, 61);
        for (var i = 0; i < size; i++)
        {
            var user = Random.Next(4) switch
            {
                0 => $"My {Pick(Phrases.Products)} {Pick(Phrases.Issues)}. {Pick(Phrases.CustomerAsks)}",
                1 => Pick(Data.BenignInstructions).Text,
                2 => Pick(Data.Gsm8k).Question,
                _ => $"Return a JSON object with the fields name and plan for a customer who wants to upgrade their {Pick(Phrases.Products)}.",
            };
            _suite.Add((system, user, PickFrom(Criteria)));
        }
    }

    public override string Kind => "h6-prompt-regression";
    public override bool IsAbusive => false;

    protected override void Build(List<SimulatedRequest> requests)
    {
        var runs = Random.Next(3, 11);
        for (var r = 0; r < runs; r++)
        {
            Run(requests, RandomTimeWhen(Context.Start, End, t => OfficeWeight(t, _utcOffset)), TenantContext.CurrentModel);
        }
        if (Context.ReleaseAt < End)
        {
            // The upgrade check: the same suite against the new model soon after release, then once more after a prompt fix.
            var at = Context.ReleaseAt + TimeSpan.FromMinutes(30 + Random.NextDouble() * 240);
            Run(requests, at, TenantContext.NewModel);
            Run(requests, at + TimeSpan.FromHours(1 + Random.NextDouble() * 3), TenantContext.NewModel);
        }
    }

    private void Run(List<SimulatedRequest> requests, DateTimeOffset at, string model)
    {
        var ip = Pick(_runnerIps);
        const int concurrency = 4;
        var lanes = Enumerable.Range(0, concurrency).Select(_ => at + TimeSpan.FromSeconds(Random.NextDouble())).ToArray();
        for (var i = 0; i < _suite.Count; i++)
        {
            var lane = i % concurrency;
            var (system, user, criterion) = _suite[i];
            var test = Request(_org, lanes[lane], ip, "OpenAI/JS 4.73.1", system, null, user, model, temperature: 0, maxTokens: 400, keyIndex: 0);
            requests.Add(test);
            lanes[lane] += TimeSpan.FromSeconds(1.5 + Random.NextDouble() * 4);
            // The grader sees the served output: it is pasted in by the harness (the runner fills the served text).
            var grader = Request(_org, lanes[lane], ip, "OpenAI/JS 4.73.1", null, null,
                Rubric.Replace("{1}", criterion, StringComparison.Ordinal).Replace("{0}", "(output of test " + (i + 1) + ")", StringComparison.Ordinal),
                model, temperature: 0, maxTokens: 200, keyIndex: 0);
            requests.Add(grader);
            lanes[lane] += TimeSpan.FromSeconds(0.8 + Random.NextDouble() * 2);
        }
    }
}
