using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// An applied-ML team trying the provider (what every team does before switching vendors): an engineer runs a notebook over a
/// few dozen public benchmark questions (GSM8K word problems and HumanEval functions) at temperature 0 with one fixed
/// template, sequentially as the latency allows, and looks at the answers; when a new model ships they re-run the same
/// items on it. The rest of the day is ordinary use: a handful of colleagues using an internal chat tool for writing and
/// code questions. Nothing is declared as evaluation. One organisation, two keys (notebook, internal tool), office NAT.
/// About 60–150 requests a day.
/// </summary>
public sealed class H6EvalThenUseTenant : HeldOut6Tenant
{
    private const string MathTemplate = "Answer the following question. Reply with the final number only.\n\nQuestion: {0}\nAnswer:";
    private const string CodeTemplate = "Complete the following Python function. Return only the code.\n\n```python\n{0}```";

    private readonly SimulatedOrg _org;
    private readonly List<string> _officeIps;
    private readonly double _utcOffset;
    private readonly int _colleagues;

    public H6EvalThenUseTenant(string id, TenantContext context)
        : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 400_000, useCase: "internal tools");
        Orgs = [_org];
        _officeIps = FixedIps(2);
        _utcOffset = PickFrom(-8.0, -5.0, 0.0, 1.0, 2.0, 5.5, 9.0);
        _colleagues = Random.Next(3, 9);
    }

    public override string Kind => "h6-eval-then-use";
    public override bool IsAbusive => false;

    protected override void Build(List<SimulatedRequest> requests)
    {
        var math = Enumerable.Range(0, Random.Next(20, 45)).Select(_ => Pick(Data.Gsm8k).Question).Distinct().ToList();
        var code = Enumerable.Range(0, Random.Next(5, 16)).Select(_ => Pick(Data.HumanEval).Prompt).Distinct().ToList();
        var items = math.Select(q => Fill(MathTemplate, q)).Concat(code.Select(p => Fill(CodeTemplate, p))).ToList();
        var ip = _officeIps[0];

        var evalAt = RandomTimeWhen(Context.Start, End, t => OfficeWeight(t, _utcOffset));
        EvalRun(requests, items, evalAt, ip, TenantContext.CurrentModel);
        if (Context.ReleaseAt < End && Chance(0.6))
        {
            var rerun = RandomTimeWhen(Context.ReleaseAt + TimeSpan.FromHours(1), Context.ReleaseAt + TimeSpan.FromHours(30), t => OfficeWeight(t, _utcOffset));
            EvalRun(requests, items, rerun, ip, TenantContext.NewModel);
        }

        // Ordinary use by colleagues through the internal tool.
        for (var person = 0; person < _colleagues; person++)
        {
            var sessions = Random.Next(2, 9);
            for (var s = 0; s < sessions; s++)
            {
                var at = RandomTimeWhen(Context.Start, End, t => OfficeWeight(t, _utcOffset));
                var turns = new List<string> { Chance(0.6) ? Pick(Data.BenignInstructions).Text : CodeQuestion() };
                while (turns.Count < 5 && Chance(0.4))
                {
                    turns.Add(Pick(Phrases.FollowUps));
                }
                requests.AddRange(Conversation(_org, at, Pick(_officeIps), "OpenAI/JS 4.73.1", "You are a helpful assistant for employees of a software company.",
                    turns, () => HumanGap(50), temperature: null, maxTokens: null, keyIndex: 1));
            }
        }
    }

    private void EvalRun(List<SimulatedRequest> requests, List<string> items, DateTimeOffset at, string ip, string model)
    {
        foreach (var item in items)
        {
            requests.Add(Request(_org, at, ip, "OpenAI/Python 1.54.4", null, null, item, model, temperature: 0, maxTokens: 512, keyIndex: 0));
            at += TimeSpan.FromSeconds(1.5 + Random.NextDouble() * 6);
            if (Chance(0.05))
            {
                at += TimeSpan.FromMinutes(2 + Random.NextDouble() * 10); // looked at an answer, tweaked a cell
            }
        }
    }

    private string CodeQuestion() =>
        PickFrom(
            $"How do I write a {Pick(Phrases.CodeLanguages)} function that {Pick(Phrases.CodeTasks)}?",
            $"I'm getting \"{Pick(Phrases.CodeErrors)}\" in our {Pick(Phrases.CodeLanguages)} service. What usually causes that?",
            $"Review this approach: we {Pick(Phrases.CodeTasks)} in a background job. Any pitfalls?");
}
