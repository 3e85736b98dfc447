using System.Globalization;
using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut5;

/// <summary>
/// An ML team (no declared evaluation use) that runs a few dozen public benchmark items once, at temperature 0 with
/// one fixed template, one after another from a notebook; the rest of the day the team uses the model normally.
/// </summary>
public sealed class H5ModelEvalOnceTenant : HeldOut5Tenant
{
    private readonly SimulatedOrg _org;
    private readonly double _offset;

    public H5ModelEvalOnceTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 400_000);
        Orgs = [_org];
        _offset = PickOffset();
    }

    public override string Kind => "h5-model-eval-once";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var planned = new List<SimulatedRequest>();
        var office = RandomIp(Random.Next(60, 200), Random.Next(0, 256), Random.Next(0, 256));
        var at = RandomTimeWhen(Context.Start, End, t => OfficeDay(t, _offset));
        const string mathTemplate = "Solve the following math word problem. End your response with the final numeric answer on its own line, prefixed by '####'.\n\nProblem: {0}";
        const string codeTemplate = "Complete the following Python function. Return only the code in a single ```python block.\n\n{0}";
        var items = new List<string>();
        items.AddRange(Enumerable.Range(0, Random.Next(20, 50)).Select(_ => Fill(mathTemplate, Pick(Data.Gsm8k).Question)));
        if (Chance(0.6))
        {
            items.AddRange(Enumerable.Range(0, Random.Next(8, 25)).Select(_ => Fill(codeTemplate, Pick(Data.HumanEval).Prompt)));
        }
        foreach (var item in items)
        {
            planned.Add(Request(_org, at, office, "OpenAI/Python 1.52.2 (jupyter)", null, null, item, temperature: 0, maxTokens: 768, keyIndex: 0));
            at += SteadyGap(3.0, 0.5);
        }
        for (var person = Random.Next(4, 14); person > 0; person--)
        {
            for (var s = Random.Next(2, 8); s > 0; s--)
            {
                var when = RandomTimeWhen(Context.Start, End, t => OfficeDay(t, _offset));
                var turns = new List<string>
                {
                    Chance(0.5) ? HumanAsk() : PickFrom(
                        $"why does my {PickFrom("PyTorch", "JAX", "pandas")} code raise {H5Text.Of(Random, Phrases.CodeErrors)}?",
                        $"write a {H5Text.Of(Random, Phrases.CodeLanguages)} function that {H5Text.Of(Random, Phrases.CodeTasks)}",
                        "summarise the trade-offs between LoRA and full fine-tuning for a 7B model"),
                };
                for (var i = MoreTurns(0.4, 3); i > 0; i--)
                {
                    turns.Add(H5Text.Of(Random, Phrases.FollowUps));
                }
                planned.AddRange(Session(_org, when, office, PickFrom("OpenAI/Python 1.52.2", "Mozilla/5.0 (X11; Linux x86_64)"), null, turns, 60, keyIndex: 1));
            }
        }
        return InOrder(planned);
    }
}

/// <summary>
/// A public leaderboard operator with a declared evaluation use case and benchmarks allowed: it runs whole suites
/// (math word problems, code completion with pass@k samples, a multiple-choice knowledge test) overnight with high
/// concurrency, and re-runs them on the new model a few hours after its release.
/// </summary>
public sealed class H5LeaderboardLabTenant : HeldOut5Tenant
{
    private readonly SimulatedOrg _org;
    private readonly double _offset;

    public H5LeaderboardLabTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 3_000_000, useCase: "evaluation", allowBenchmarks: true);
        Orgs = [_org];
        _offset = PickOffset();
    }

    public override string Kind => "h5-leaderboard-lab";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var planned = new List<SimulatedRequest>();
        var runner = CloudIp();
        var ua = PickFrom("lm-eval-harness/0.4.5 OpenAI/Python 1.54.4", "AsyncOpenAI/Python 1.58.1", "evalchemy/0.1 httpx/0.27.2");
        var start = RandomTimeWhen(Context.Start, Context.Start + TimeSpan.FromHours(10), t => LocalHour(t, _offset) is > 19 or < 3 ? 1 : 0.15);
        RunSuites(planned, start, TenantContext.CurrentModel, runner, ua, 0);
        if (Chance(0.7))
        {
            RunSuites(planned, Context.ReleaseAt + TimeSpan.FromHours(1 + 4 * Random.NextDouble()), TenantContext.NewModel, runner, ua, 1);
        }
        return InOrder(planned);
    }

    private void RunSuites(List<SimulatedRequest> planned, DateTimeOffset at, string model, string ip, string ua, int key)
    {
        var fraction = 0.3 + 0.5 * Random.NextDouble();
        foreach (var (_, question) in Data.Gsm8k.Where(_ => Chance(fraction)))
        {
            planned.Add(Request(_org, at, ip, ua, null, null, $"Question: {question}\nAnswer: Let's work this out and give the final answer after ####.",
                model, temperature: 0, maxTokens: 512, keyIndex: key));
            at += PoissonGap(0.6);
        }
        foreach (var (_, prompt) in Data.HumanEval)
        {
            planned.Add(Request(_org, at, ip, ua, null, null, prompt, model, temperature: 0, maxTokens: 512, keyIndex: key));
            at += PoissonGap(0.6);
            planned.Add(Request(_org, at, ip, ua, null, null, prompt, model, n: 10, temperature: 0.8, maxTokens: 512, keyIndex: key));
            at += PoissonGap(1.5);
        }
        for (var i = Random.Next(150, 500); i > 0; i--)
        {
            var (stem, options) = H5Text.MultipleChoice(Random);
            var body = string.Join("\n", options.Select((o, j) => $"{(char)('A' + j)}. {o}"));
            planned.Add(Request(_org, at, ip, ua, null, null,
                $"The following is a multiple choice question. Answer with the letter only.\n\n{stem}\n{body}\nAnswer:", model, temperature: 0, maxTokens: 5, keyIndex: key));
            at += PoissonGap(0.4);
        }
    }
}

/// <summary>
/// A multilingual support bot: customers write in their own language, the bot answers in it over a few turns; agents
/// also ask for their English replies to be translated.
/// </summary>
public sealed class H5MultilingualSupportTenant : HeldOut5Tenant
{
    private static readonly Dictionary<string, string[]> FollowUps = new(StringComparer.Ordinal)
    {
        ["French"] = ["Merci. Et combien de temps cela prend-il ?", "D'accord, j'ai essayé mais ça ne marche toujours pas.", "Parfait, merci beaucoup !"],
        ["German"] = ["Danke. Und wie lange dauert das?", "Das habe ich schon versucht, es geht trotzdem nicht.", "Super, vielen Dank!"],
        ["Spanish"] = ["Gracias, ¿y cuánto tarda?", "Ya lo intenté y sigue sin funcionar.", "¡Perfecto, muchas gracias!"],
        ["Portuguese"] = ["Obrigado. Quanto tempo demora?", "Já tentei isso e não funcionou.", "Ótimo, obrigado!"],
        ["Italian"] = ["Grazie. Quanto tempo ci vuole?", "Ho già provato, ma non funziona.", "Perfetto, grazie mille!"],
        ["Dutch"] = ["Bedankt. Hoe lang duurt dat?", "Dat heb ik al geprobeerd, het werkt nog steeds niet.", "Top, dank je!"],
        ["Polish"] = ["Dziękuję. Ile to potrwa?", "Już próbowałem i nadal nie działa.", "Super, dziękuję!"],
        ["Japanese"] = ["ありがとうございます。どのくらいかかりますか？", "試しましたが、まだ動きません。", "助かりました！"],
        ["English"] = ["Thanks. How long will that take?", "I already tried that and it still doesn't work.", "Great, thanks!"],
    };

    private readonly SimulatedOrg _org;
    private readonly string _company;

    public H5MultilingualSupportTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 3, tokensPerMinute: 800_000);
        Orgs = [_org];
        _company = H5Text.Of(Random, Phrases.Companies);
    }

    public override string Kind => "h5-multilingual-support";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var planned = new List<SimulatedRequest>();
        var ips = Enumerable.Range(0, 2).Select(_ => CloudIp()).ToArray();
        var ua = BackendUserAgent();
        var system = $"You are the support assistant of {_company}. Always reply in the customer's language. Policies: refunds within 30 days; replacements for damaged items; delivery 2-5 working days in the EU. Escalate to a human if the customer asks.";
        var at = Context.Start;
        var meanGap = 60 + 200 * Random.NextDouble();
        while (true)
        {
            at = NextThinned(at, meanGap, t => ConsumerDay(t, 1.0));
            if (at >= End)
            {
                break;
            }
            if (Chance(0.2))
            {
                var language = H5Text.Of(Random, Phrases.Languages);
                var reply = $"Hi {H5Text.Of(Random, H5Text.FirstNames)}, thanks for your patience. {PickFrom("We've issued a full refund, which should appear within 5 working days.", "A replacement is on its way; you don't need to return the damaged item.", "I've reset your account, please try logging in again.")}";
                planned.Add(Request(_org, at, PickFrom(ips), ua, "You translate customer support replies. Keep the tone and any order numbers.", null,
                    $"Translate the following reply into {language}, keep it friendly:\n\n{reply}", temperature: 0.3, maxTokens: 600, keyIndex: 2));
                continue;
            }
            var (lang, text) = H5Text.SupportMessage(Random);
            var turns = new List<string> { text };
            for (var i = MoreTurns(0.45, 3); i > 0; i--)
            {
                turns.Add(PickFrom(FollowUps.GetValueOrDefault(lang) ?? FollowUps["English"]));
            }
            planned.AddRange(Session(_org, at, PickFrom(ips), ua, system, turns, 45, temperature: 0.3, maxTokens: 500, keyIndex: Random.Next(2)));
        }
        return InOrder(planned);
    }
}

/// <summary>
/// A research assistant over a lab's paper library: retrieved excerpts in the system prompt (papers that discuss
/// instruction generation, step-by-step prompting, distillation), a few questions per reading session.
/// </summary>
public sealed class H5ResearchAssistantTenant : HeldOut5Tenant
{
    private static readonly string[] Questions =
    [
        "What is the main contribution of this paper?", "Explain the method step by step.", "What dataset size did they use, and is it enough?",
        "Summarise the limitations in 3 bullets.", "How does this compare with the second document?", "Generate a list of follow-up experiments we could run.",
        "Write a related-work paragraph that cites these papers.", "Did they generate a list of instructions automatically? How did they filter it?",
        "What would a reviewer criticise?", "Explain the hyperparameters in plain English.", "Is the improvement statistically meaningful?",
    ];

    private readonly SimulatedOrg _org;
    private readonly double _offset;

    public H5ResearchAssistantTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 600_000);
        Orgs = [_org];
        _offset = PickOffset();
    }

    public override string Kind => "h5-research-assistant";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var planned = new List<SimulatedRequest>();
        var ip = CloudIp();
        var ua = PickFrom("llama-index-llms-openai/0.3.12", "langchain-openai/0.2.14 OpenAI/Python 1.55.3");
        for (var researcher = Random.Next(8, 35); researcher > 0; researcher--)
        {
            for (var s = 1 + MoreTurns(0.5, 4); s > 0; s--)
            {
                var at = RandomTimeWhen(Context.Start, End, t => Math.Max(OfficeDay(t, _offset), 0.3 * ConsumerDay(t, _offset)));
                var docs = string.Join("\n\n---\n\n", Enumerable.Range(0, Random.Next(1, 4)).Select(i => $"[Document {(i + 1).ToString(CultureInfo.InvariantCulture)}]\n{H5Text.PaperExcerpt(Random)}"));
                var system = $"Answer using only the documents below. Cite them as [Document N]. If the answer is not in them, say so.\n\n{docs}";
                var turns = new List<string> { PickFrom(Questions) };
                for (var i = MoreTurns(0.6, 5); i > 0; i--)
                {
                    turns.Add(PickFrom(Questions));
                }
                planned.AddRange(Session(_org, at, ip, ua, system, turns, 150, temperature: 0.2, maxTokens: 1500));
            }
        }
        return InOrder(planned);
    }
}
