using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut3;

/// <summary>
/// A developer curious how the model does on public benchmarks: one afternoon, 30–100 benchmark-style questions sent once
/// at temperature 0 from a notebook loop, then back to ordinary coding help for the rest of the day.
/// </summary>
public sealed class H3BenchmarkCuriousDevTenant : HeldOut3Tenant
{
    private readonly SimulatedOrg _org;
    private readonly double _utcOffset;

    public H3BenchmarkCuriousDevTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(1, 150_000, useCase: PickFrom("coding", "coding", null, "other"));
        Orgs = [_org];
        _utcOffset = PickFrom(-8, -5, 0, 1, 2, 5.5, 8);
    }

    public override string Kind => "h3-benchmark-curious-dev";
    public override bool IsAbusive => false;

    private static readonly string[] CodingAsks =
    [
        "why does this throw KeyError?\n\nfor k in d:\n    if d[k] == 0:\n        del d[k]",
        "how do I read a large CSV in pandas without running out of memory",
        "write a bash one-liner to find the 10 largest files under the current directory",
        "what's the difference between asyncio.gather and asyncio.wait",
        "my docker container can't resolve hostnames, what should I check",
        "regex to match an ISO date like 2026-12-07",
        "explain this SQL: SELECT a, COUNT(*) FROM t GROUP BY a HAVING COUNT(*) > 1",
        "how do I mock datetime.now in pytest",
        "convert this loop to a list comprehension:\nresult = []\nfor x in xs:\n    if x % 2:\n        result.append(x * x)",
        "git: how do I undo the last commit but keep the changes",
        "what does 'Cannot borrow as mutable more than once' mean in Rust",
        "write a TypeScript type for a function that takes an object and returns its keys as a union",
    ];

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var requests = new List<SimulatedRequest>();
        var ip = RandomPublicIp();
        var notebookUa = PickFrom("OpenAI/Python 1.52.2", "OpenAI/Python 1.40.0", "python-httpx/0.27.0");
        var chatUa = PickFrom("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)", "OpenAI/JS 4.56.0", "curl/8.5.0");
        // Ordinary coding help through the day.
        var at = Context.Start;
        while (true)
        {
            at = NextThinned(at, 900, t => Office(LocalHour(t, _utcOffset)) * 0.8 + 0.05);
            if (at >= End)
            {
                break;
            }
            var history = new List<ChatMessage>();
            var t = at;
            var user = Chance(0.7) ? Pick(CodingAsks) : HumanAsk();
            for (var turn = 0; turn < Between(1, 3) && t < End; turn++)
            {
                var r = Request(_org, t, ip, chatUa, null, [.. history], user, temperature: Chance(0.5) ? null : 0.2);
                requests.Add(r);
                history.Add(User(user));
                history.Add(ServedReply(r));
                t += HumanGap(120);
                user = PickFrom("that didn't work, same error", "thanks", "can you add type hints", "what about python 3.8", "explain why");
            }
        }
        // One afternoon: a quick notebook loop over a public benchmark sample.
        var afternoon = Context.Start + TimeSpan.FromHours(((14 - _utcOffset) % 24 + 24) % 24 + Random.NextDouble() * 3);
        if (afternoon >= End)
        {
            afternoon = Context.Start + TimeSpan.FromHours(Random.NextDouble() * 20);
        }
        var count = Between(30, 100);
        var source = Random.Next(3);
        var t2 = afternoon;
        var prompt = PickFrom("", "Answer the following multiple choice question. Reply with the letter only.\n\n", "Q: ");
        for (var i = 0; i < count && t2 < End; i++)
        {
            string user;
            if (source == 0 || (source == 2 && Data.Gsm8k.Count == 0))
            {
                user = prompt + H3Bench.Render(Pick(H3Bench.MultipleChoice));
            }
            else if (source == 1 && Data.Gsm8k.Count > 0)
            {
                user = Pick(Data.Gsm8k).Question + PickFrom("", "\nGive the final answer after ####.");
            }
            else
            {
                user = Chance(0.5) || Data.HumanEval.Count == 0 ? Pick(H3Bench.Coding).Question : Pick(Data.HumanEval).Prompt;
            }
            requests.Add(Request(_org, t2, ip, notebookUa, null, null, user, temperature: 0, maxTokens: source == 2 ? 600 : 256));
            t2 += SteadyGap(Chance(0.1) ? 30 : 3, 0.6);
        }
        return InTimeOrder(requests);
    }
}

/// <summary>
/// A model-evaluation company (category evaluation, allow-listed): runs suites of 500–1500 items several times a day
/// (client models, seeds, prompt formats), resampling with n&gt;1 or repeated runs at temperature, re-running on the new model.
/// </summary>
public sealed class H3EvalVendorTenant : HeldOut3Tenant
{
    private readonly SimulatedOrg _org;

    public H3EvalVendorTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(2, 4), 1_500_000, useCase: "evaluation", allowBenchmarks: true);
        Orgs = [_org];
    }

    public override string Kind => "h3-eval-vendor";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var requests = new List<SimulatedRequest>();
        var ips = Enumerable.Range(0, 3).Select(_ => RandomIp(3, Between(0, 255), Between(0, 255))).ToList();
        var ua = PickFrom("lm-eval-harness/0.4.5 OpenAI/Python 1.52.2", "evalkit/2.3", "OpenAI/Python 1.52.2", "inspect_ai/0.3 python-httpx/0.27.0");
        var runs = Between(1, 3);
        var totalCap = Between(1500, 3500);
        var at = Context.Start + TimeSpan.FromMinutes(Between(10, 300));
        for (var run = 0; run < runs && requests.Count < totalCap && at < End; run++)
        {
            var size = Between(500, 1500);
            var suite = Random.Next(4);
            var samples = Chance(0.4) ? Between(3, 5) : 1;
            var useN = samples > 1 && Chance(0.5);
            var temperature = samples > 1 ? 0.8 : 0.0;
            // After the release, clients want the new model evaluated.
            var model = at >= Context.ReleaseAt && Chance(0.7) ? TenantContext.NewModel : TenantContext.CurrentModel;
            var format = Random.Next(3);
            var concurrency = Between(4, 16);
            var gap = SteadyGap(concurrency >= 8 ? 0.4 : 1.2).TotalSeconds;
            for (var i = 0; i < size && requests.Count < totalCap && at < End; i++)
            {
                string user;
                if (suite == 0 || (suite == 1 && Data.Gsm8k.Count == 0))
                {
                    var item = H3Bench.MultipleChoice[i % H3Bench.MultipleChoice.Count];
                    user = format switch
                    {
                        0 => H3Bench.Render(item),
                        1 => $"The following is a multiple choice question about {item.Subject.Replace('_', ' ')}.\n\n{H3Bench.Render(item)}",
                        _ => $"{H3Bench.Render(item, withAnswerCue: false)}\n\nThink it through, then finish with \"The answer is (X)\".",
                    };
                }
                else if (suite == 1)
                {
                    user = $"{Data.Gsm8k[i % Data.Gsm8k.Count].Question}\n{PickFrom("Let's think step by step.", "Give the final answer as a number.", "")}".TrimEnd();
                }
                else if (suite == 2)
                {
                    user = Data.HumanEval.Count > 0 && i % 3 == 0 ? Data.HumanEval[i % Data.HumanEval.Count].Prompt : H3Bench.Coding[i % H3Bench.Coding.Count].Question;
                }
                else
                {
                    // A client's private suite: domain questions in their words.
                    user = $"[{PickFrom("insurance", "banking", "pharma", "retail")} QA] {HumanAsk()}";
                }
                var repeats = useN ? 1 : samples;
                for (var s = 0; s < repeats; s++)
                {
                    requests.Add(Request(_org, at, Pick(ips), ua, format == 2 ? "You are a helpful assistant." : null, null, user,
                        model: model, n: useN ? samples : 1, temperature: temperature, maxTokens: suite == 0 && format != 2 ? 8 : 1024));
                    at += TimeSpan.FromSeconds(gap * (0.5 + Random.NextDouble()));
                }
            }
            at += TimeSpan.FromHours(1 + Random.NextDouble() * 5);
            // A client asks for the new model's numbers on release day: the next run starts soon after the release.
            if (at < Context.ReleaseAt && run == 0 && Chance(0.6))
            {
                at = Context.ReleaseAt + TimeSpan.FromMinutes(Between(20, 240));
            }
        }
        return InTimeOrder(requests);
    }
}
