using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut4;

/// <summary>
/// A subtitle-localisation vendor: episode and film jobs split into chunks of numbered SRT lines, sent by a worker pool
/// in office hours with one fixed translator system prompt and glossary per job, at low temperature; a reviewer sends a
/// few revision turns ("line 7 is too long for reading speed").
/// </summary>
public sealed class H4SubtitleTranslationTenant : H4BenignTenant
{
    private readonly SimulatedOrg _org;
    private readonly double _tz;
    private readonly int _jobs;
    private readonly string[] _ips;

    public H4SubtitleTranslationTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(2, 4), 1_000_000, useCase: PickFrom<string?>("translation", "data-processing", "other"));
        Orgs = [_org];
        _tz = PickFrom(1, 2, 3, 5.5, 8, -3);
        _jobs = Between(3, 12);
        _ips = [CloudIp(), CloudIp()];
    }

    public override string Kind => "h4-subtitle-translation";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var all = new List<SimulatedRequest>();
        for (var j = 0; j < _jobs; j++)
        {
            var lang = PickFrom("Brazilian Portuguese", "Latin American Spanish", "German", "Polish", "Turkish", "Japanese", "Indonesian", "French (France)", "Arabic");
            string[] cast = [Name(), Name(), Name()];
            var system = $"You are a professional subtitle translator. Translate the SRT block from English into {lang}. Keep the numbering and timecodes unchanged, at most 42 characters per line and 2 lines per subtitle, do not merge or split subtitles. Keep these names untranslated: {string.Join(", ", cast)}. Return only the SRT block.";
            var t = RandomTimeWhen(Context.Start, End, at => Office(LocalHour(at, _tz)));
            var chunks = Between(60, 400);
            var size = Between(8, 20);
            var ip = Pick(_ips);
            for (var c = 0; c < chunks; c++)
            {
                t += PoissonGap(Uniform(1.5, 4));
                var block = H4Text.SubtitleChunk(Random, 1 + c * size, size, cast);
                if (Chance(0.04))
                {
                    all.AddRange(Conversation(_org, t, ip, "OpenAI/Python 1.58.1", system,
                        [block, $"Line {Between(1, size) + c * size} is too long for reading speed, shorten it", "ok, and keep the informal register throughout"],
                        () => HumanGap(90), 0.2, 1500));
                }
                else
                {
                    all.Add(Request(_org, t, ip, "OpenAI/Python 1.58.1", system, null, block, temperature: 0.2, maxTokens: 1500));
                }
            }
        }
        return Ordered(all);
    }
}

/// <summary>
/// A trust-and-safety labelling vendor: marketplace posts and reviews classified into a fixed taxonomy with a few-shot
/// system prompt, JSON output, temperature 0 and tiny max_tokens, thousands a day in queued batches; a small audit
/// sample asks for the rationale.
/// </summary>
public sealed class H4ModerationLabellerTenant : H4BenignTenant
{
    private readonly SimulatedOrg _org;
    private readonly int _items;
    private readonly string _system;
    private readonly string _ip;

    public H4ModerationLabellerTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 3), 2_000_000, useCase: PickFrom<string?>("data-processing", "content moderation", null));
        Orgs = [_org];
        _items = LogNormalCount(2500, 0.6, 500, 9000);
        _system = """
            You label user-generated content for a marketplace. Labels: OK, SPAM, SCAM, HARASSMENT, SAFETY_HAZARD, OFF_TOPIC, NEEDS_REVIEW.
            Return JSON only: {"label": "...", "confidence": 0.0-1.0}.
            Examples:
            "Great blender, works fine" -> {"label": "OK", "confidence": 0.97}
            "Buy followers cheap visit my link" -> {"label": "SPAM", "confidence": 0.95}
            "Send me your bank details for a refund" -> {"label": "SCAM", "confidence": 0.9}
            "The charger caught fire" -> {"label": "SAFETY_HAZARD", "confidence": 0.88}
            """;
        _ip = CloudIp();
    }

    public override string Kind => "h4-moderation-labeller";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var all = new List<SimulatedRequest>();
        var batches = Between(2, 6);
        for (var b = 0; b < batches; b++)
        {
            var t = RandomTimeWithin(Context.Start, End - TimeSpan.FromHours(2));
            var items = _items / batches;
            var gap = Uniform(0.4, 2.5);
            for (var i = 0; i < items; i++)
            {
                t += PoissonGap(gap);
                var post = $"Post {Random.Next(1_000_000, 9_999_999)}:\n\"\"\"{H4Text.UserPost(Random)}\"\"\"";
                all.Add(Chance(0.04)
                    ? Request(_org, t, _ip, "python-httpx/0.28.1", _system, null, post + "\n\nAudit: explain step by step which policy applies and why, then give the JSON.", temperature: 0, maxTokens: 300)
                    : Request(_org, t, _ip, "python-httpx/0.28.1", _system, null, post, temperature: 0, maxTokens: 30));
            }
        }
        return Ordered(all);
    }
}

/// <summary>
/// An operations agent built on a ReAct-style framework: fixed tool-spec system prompt, a task, then loops of model
/// step and pasted tool output ("Observation: {...}") for three to eight steps; runs from a scheduler every few minutes
/// around the clock plus on-demand runs in office hours.
/// </summary>
public sealed class H4AgentOpsTenant : H4BenignTenant
{
    private const string AgentSystem = """
        You are OpsAgent. Answer the task by reasoning and calling tools. Use this format:
        Thought: what to do next
        Action: one of [query_metrics, search_logs, list_incidents, get_deploys, post_slack]
        Action Input: JSON arguments
        When you have enough information reply with:
        Final Answer: the answer
        """;

    private readonly SimulatedOrg _org;
    private readonly double _tz;
    private readonly int _onDemand;
    private readonly double _cronMinutes;
    private readonly string _ip;

    public H4AgentOpsTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 2), 1_000_000, useCase: PickFrom<string?>("coding", "data-processing", "internal automation", null));
        Orgs = [_org];
        _tz = PickFrom(-8, -5, 0, 1, 5.5);
        _onDemand = LogNormalCount(60, 0.8, 5, 400);
        _cronMinutes = PickFrom(5, 10, 15, 30);
        _ip = CloudIp();
    }

    public override string Kind => "h4-agent-ops";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var all = new List<SimulatedRequest>();
        var cronTask = PickFrom("Check p95 latency of checkout-api over the last 15 minutes and alert #oncall if above 800 ms.",
            "Summarise new error-level log lines from payments-worker since the last run.", "List open SEV2+ incidents and post a status digest to #ops.");
        for (var t = Context.Start + TimeSpan.FromMinutes(Uniform(0, _cronMinutes)); t < End; t += SteadyGap(_cronMinutes * 60, 0.02))
        {
            all.AddRange(Run(t, cronTask));
        }
        for (var i = 0; i < _onDemand; i++)
        {
            var t = RandomTimeWhen(Context.Start, End, at => Office(LocalHour(at, _tz)));
            all.AddRange(Run(t, PickFrom(
                "Why did error rate on search-api spike around 14:05?", "Which deploys went out today and did any of them correlate with alerts?",
                $"Draft a postmortem timeline for incident INC-{Random.Next(1000, 9999)}.", "Is the nightly ETL running late again? If so, why?",
                "Compare memory usage of the two canary pods with the baseline.")));
        }
        return Ordered(all);
    }

    private List<SimulatedRequest> Run(DateTimeOffset t, string task)
    {
        var steps = Between(2, 7);
        var turns = new List<string> { $"Task: {task}" };
        for (var s = 0; s < steps; s++)
        {
            turns.Add("Observation: " + Observation());
        }
        return Conversation(_org, t, _ip, "OpenAI/Python 1.59.7", AgentSystem, turns, () => TimeSpan.FromSeconds(Uniform(0.3, 4)), 0, 512, keyIndex: 0);
    }

    private string Observation() => Random.Next(4) switch
    {
        0 => $"{{\"metric\":\"http_p95_ms\",\"service\":\"checkout-api\",\"points\":[{Between(300, 900)},{Between(300, 900)},{Between(300, 1400)},{Between(300, 900)}]}}",
        1 => $"{{\"logs\":[\"{Context.Start:yyyy-MM-dd}T{Between(0, 23):D2}:{Between(0, 59):D2}Z ERROR payments-worker timeout calling ledger after 30000ms\",\"ERROR retry budget exhausted for job {Random.Next(10000, 99999)}\"],\"truncated\":{(Chance(0.5) ? "true" : "false")}}}",
        2 => $"{{\"incidents\":[{{\"id\":\"INC-{Random.Next(1000, 9999)}\",\"sev\":{Between(1, 3)},\"title\":\"elevated 5xx on search-api\",\"status\":\"mitigating\"}}]}}",
        _ => $"{{\"deploys\":[{{\"service\":\"search-api\",\"version\":\"v{Between(1, 9)}.{Between(0, 40)}.{Between(0, 9)}\",\"at\":\"{Between(0, 23):D2}:{Between(0, 59):D2}\"}}]}}",
    };
}

/// <summary>
/// A SaaS help-centre bot doing retrieval-augmented answers: the prompt template tells the model to "think step by
/// step" and the retrieved articles themselves are step-by-step guides ("Let's think step by step. Step 1: ..."); customers
/// ask two to four turns, around the clock across time zones.
/// </summary>
public sealed class H4DocsRagSupportTenant : H4BenignTenant
{
    private readonly SimulatedOrg _org;
    private readonly string _product;
    private readonly int _sessions;
    private readonly string _ip;

    public H4DocsRagSupportTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 2), 800_000, useCase: PickFrom<string?>("chatbot", "search", "customer support"));
        Orgs = [_org];
        _product = Pick(Products);
        _sessions = LogNormalCount(350, 0.8, 40, 2500);
        _ip = CloudIp();
    }

    public override string Kind => "h4-docs-rag-support";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var all = new List<SimulatedRequest>();
        for (var s = 0; s < _sessions; s++)
        {
            var start = RandomTimeWhen(Context.Start, End, at => Math.Max(Office(LocalHour(at, 1)), Office(LocalHour(at, -6))));
            var context = string.Join("\n\n", Enumerable.Range(1, Between(2, 4)).Select(i => $"[{i}] {H4Text.KbArticle(Random, _product)}"));
            var system = $"You are the {_product} help assistant. Answer using only the context below. Think step by step before answering, and if the context does not contain the answer, say you don't know and offer to open a ticket.\n\nContext:\n{context}";
            var turns = new List<string> { H4Text.CustomerQuestion(Random, _product) };
            var more = Turns(0.45, 4) - 1;
            for (var i = 0; i < more; i++)
            {
                turns.Add(PickFrom("that didn't work", "ok what's step 2 again", "can I talk to a human", "thanks, and how do I do that on mobile?", "where is that setting exactly?", "still the same error"));
            }
            all.AddRange(Conversation(_org, start, _ip, "OpenAI/JS 4.73.1", system, turns, () => HumanGap(60), 0.1, 700));
        }
        return Ordered(all);
    }
}

/// <summary>
/// A coding-assistant IDE plugin used by a development team (one key per developer, one office NAT): multi-turn
/// sessions with pasted code and stack traces, refactors, tests, and now and then a pasted interview-practice function
/// stub (HumanEval-shaped) to finish.
/// </summary>
public sealed class H4PairProgrammerTenant : H4BenignTenant
{
    private readonly SimulatedOrg _org;
    private readonly double _tz;
    private readonly int _developers;
    private readonly string _ip;

    public H4PairProgrammerTenant(string id, TenantContext context) : base(id, context)
    {
        _developers = Between(4, 60);
        _org = NewOrg(_developers, 1_500_000, useCase: PickFrom<string?>("coding", "coding", "developer tools"));
        Orgs = [_org];
        _tz = PickFrom(-8, -5, 0, 1, 2, 5.5, 8);
        _ip = RandomIp(Random.Next(60, 200), Random.Next(0, 256), Random.Next(0, 256));
    }

    public override string Kind => "h4-pair-programmer";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var all = new List<SimulatedRequest>();
        for (var d = 0; d < _developers; d++)
        {
            var sessions = Between(2, 14);
            for (var s = 0; s < sessions; s++)
            {
                var start = RandomTimeWhen(Context.Start, End, at => Office(LocalHour(at, _tz)));
                var turns = new List<string>
                {
                    Chance(0.04) && Data.HumanEval.Count > 0
                        ? PickFrom("finish this function:\n\n", "practising for interviews, can you complete this and explain the complexity?\n\n", "") + Pick(Data.HumanEval).Prompt
                        : H4Text.CodeQuestion(Random),
                };
                var more = Turns(0.65, 12) - 1;
                for (var i = 0; i < more; i++)
                {
                    turns.Add(Chance(0.35) ? H4Text.CodeQuestion(Random) : PickFrom(
                        "that gives a compile error on line 3", "can you do it without the extra allocation?", "add docstrings", "now the tests fail with a null reference",
                        "ok use dependency injection instead", "what about thread safety?", "looks good, also handle the empty case", "convert it to TypeScript",
                        "why did you change the signature?", "explain the regex"));
                }
                all.AddRange(Conversation(_org, start, _ip, "OpenAI/JS 4.77.3", "You are an expert pair programmer inside the user's IDE. Be precise, show code in fenced blocks, and keep explanations short.",
                    turns, () => HumanGap(90), 0.2, 2048, keyIndex: d));
            }
        }
        return Ordered(all);
    }
}

/// <summary>
/// A company's quality team using the model as a judge of its own support bot: each transcript graded against a fixed
/// rubric ("reason step by step, then output a JSON score") at temperature 0 — a nightly batch plus daytime spot checks.
/// </summary>
public sealed class H4QualityGraderTenant : H4BenignTenant
{
    private readonly SimulatedOrg _org;
    private readonly double _tz;
    private readonly int _nightly;
    private readonly string _product;
    private readonly string _ip;

    public H4QualityGraderTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(1, 1_000_000, useCase: PickFrom<string?>("evaluation", "data-processing", "quality assurance", null));
        Orgs = [_org];
        _tz = PickFrom(-5, 0, 1, 2, 8);
        _nightly = LogNormalCount(1400, 0.5, 300, 5000);
        _product = Pick(Products);
        _ip = CloudIp();
    }

    public override string Kind => "h4-quality-grader";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var system = $"You are a strict QA reviewer for {_product}'s customer-support assistant. Rubric: accuracy (is the answer correct per policy), tone (polite, concise), resolution (did the customer get what they needed), escalation (should it have escalated). Think step by step about each criterion, then output JSON: {{\"accuracy\":1-5,\"tone\":1-5,\"resolution\":1-5,\"escalate\":true|false,\"notes\":\"...\"}}.";
        var all = new List<SimulatedRequest>();
        var midnight = Context.Start - TimeSpan.FromHours(LocalHour(Context.Start, _tz));
        var t = midnight + TimeSpan.FromHours(Uniform(0.5, 2));
        if (t < Context.Start)
        {
            t += TimeSpan.FromDays(1);
        }
        for (var i = 0; i < _nightly; i++)
        {
            t += PoissonGap(Uniform(1, 3));
            all.Add(Request(_org, t, _ip, "OpenAI/Python 1.52.2", system, null, "Transcript:\n" + H4Text.SupportTranscript(Random, _product), temperature: 0, maxTokens: 400));
        }
        var spots = Between(40, 250);
        for (var i = 0; i < spots; i++)
        {
            var at = RandomTimeWhen(Context.Start, End, at => Office(LocalHour(at, _tz)));
            all.Add(Request(_org, at, _ip, "OpenAI/Python 1.52.2", system, null, "Transcript:\n" + H4Text.SupportTranscript(Random, _product), temperature: 0, maxTokens: 400));
        }
        return Ordered(all);
    }
}

/// <summary>
/// An ML platform team at an ordinary company doing one sanity check of the model on public benchmark items (20–80
/// GSM8K or HumanEval questions, fixed template, temperature 0, one pass, usually after the new model comes out) and
/// otherwise using the API for internal tools all day. Only a quarter declare an evaluation use case.
/// </summary>
public sealed class H4BenchmarkSanityTenant : H4BenignTenant
{
    private readonly SimulatedOrg _org;
    private readonly double _tz;
    private readonly int _everyday;
    private readonly string _ip;

    public H4BenchmarkSanityTenant(string id, TenantContext context) : base(id, context)
    {
        var declared = Chance(0.25);
        _org = NewOrg(Between(2, 5), 1_000_000, useCase: declared ? "evaluation" : PickFrom<string?>("coding", "chatbot", "research", null), allowBenchmarks: declared && Chance(0.4));
        Orgs = [_org];
        _tz = PickFrom(-8, -5, 0, 1, 2, 8);
        _everyday = LogNormalCount(450, 0.7, 80, 2500);
        _ip = RandomIp(Random.Next(60, 200), Random.Next(0, 256), Random.Next(0, 256));
    }

    public override string Kind => "h4-benchmark-sanity";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var all = new List<SimulatedRequest>();
        var afterRelease = Chance(0.6);
        DateTimeOffset t;
        do
        {
            t = afterRelease ? RandomTimeWithin(Context.ReleaseAt, End) : RandomTimeWithin(Context.Start, Context.ReleaseAt);
        }
        while (!Chance(Office(LocalHour(t, _tz))));
        var model = afterRelease ? TenantContext.NewModel : TenantContext.CurrentModel;
        var code = Chance(0.4) && Data.HumanEval.Count > 0;
        var items = Between(20, 80);
        var pool = code ? Data.HumanEval.Select(h => h.Prompt).ToList() : Data.Gsm8k.Select(g => g.Question).ToList();
        var chosen = pool.OrderBy(_ => Random.Next()).Take(items);
        var key = Random.Next(_org.KeyIds.Count);
        foreach (var item in chosen)
        {
            t += SteadyGap(Uniform(0.8, 3), 0.3);
            var prompt = code
                ? $"Complete the following Python function. Return only the code.\n\n```python\n{item}\n```"
                : $"Solve the following math problem. Give the final answer after '####'.\n\nQuestion: {item}\nAnswer:";
            all.Add(Request(_org, t, _ip, "python-httpx/0.28.1", null, null, prompt, model: model, temperature: 0, maxTokens: code ? 768 : 512, keyIndex: key));
        }
        // Everyday internal use by the rest of the company.
        var produced = 0;
        while (produced < _everyday)
        {
            var start = RandomTimeWhen(Context.Start, End, at => Office(LocalHour(at, _tz)));
            var turns = new List<string>
            {
                Random.Next(4) switch
                {
                    0 => "Summarise this email in two sentences:\n\n" + PastedEmail(),
                    1 => H4Text.CodeQuestion(Random),
                    _ => HumanAsk(),
                },
            };
            var more = Turns(0.4, 5) - 1;
            for (var i = 0; i < more; i++)
            {
                turns.Add(FollowUp());
            }
            var session = Conversation(_org, start, _ip, PickFrom("OpenAI/Python 1.59.7", "OpenAI/JS 4.77.3"), "You are the internal assistant of our company. Be accurate and concise.", turns, () => HumanGap(60), 0.5, 1500);
            all.AddRange(session);
            produced += session.Count;
        }
        return Ordered(all);
    }
}
