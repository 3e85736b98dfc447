using System.Text;
using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut2;

/// <summary>A consumer chat app: many end users behind one org, 1–8 turn conversations, a people-shaped day.</summary>
public sealed class H2ChatAppTenant : HeldOut2Tenant
{
    public H2ChatAppTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: Between(1, 2), tokensPerMinute: 400_000)];
    }

    public override string Kind => "h2-chat-app";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var tz = PickTimeZone();
        var appName = Pick(new[] { "Pocketmind", "Askly", "ChatNest", "Wisp", "Kora", "Lumen Chat" });
        var system = Chance(0.7) ? $"You are {appName}, a friendly assistant inside a mobile app. Be concise and warm." : null;
        var ua = Pick(new[] { "OpenAI/NodeJS 4.67.1", "axios/1.7.7", "OpenAI/Python 1.54.4" });
        var backendIps = Enumerable.Range(0, Between(1, 3)).Select(_ => RandomPublicIp()).ToList();
        // Peak: one new conversation every 1–12 minutes.
        var starts = ThinnedTimes(Context.Start, End, Uniform(60, 720), PeopleCurve, tz);
        var conversations = starts.Select(s =>
        {
            var turns = Math.Min(8, 1 + (int)(-2.2 * Math.Log(1 - Random.NextDouble())));
            return new Conversation
            {
                Org = org, Start = s, System = system, MaxTurns = turns, Ip = Pick(backendIps), UserAgent = ua,
                Temperature = 0.7, MaxTokens = Chance(0.5) ? 1024 : null,
                NextUser = turn => turn == 0 ? ChatOpener() : ChatFollowUp(),
                Gap = () => HumanGap(40),
            };
        }).ToList();
        return Interleave(conversations);
    }
}

/// <summary>A support bot: fixed system prompt, retrieved help-centre passages pasted into each turn, office-hours traffic.</summary>
public sealed class H2CustomerServiceTenant : HeldOut2Tenant
{
    public H2CustomerServiceTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: 1, tokensPerMinute: 300_000)];
    }

    public override string Kind => "h2-customer-service";
    public override bool IsAbusive => false;

    private static readonly string[] Products = ["router", "meal-kit subscription", "fitness tracker", "accounting software", "e-scooter", "streaming plan", "insurance policy", "coffee machine"];

    private static readonly string[] Issues =
    [
        "my {0} stopped working after the update", "how do I cancel my {0}?", "I was charged twice for the {0}", "can I return the {0} after 30 days",
        "the {0} won't connect to wifi", "where is my order? it's the {0}", "how do i change the email on my {0} account",
        "is there a student discount on the {0}", "the app for my {0} keeps logging me out", "I want to upgrade my {0}, what are the options",
    ];

    private static readonly string[] Followups =
    [
        "I already tried that", "ok and how long will the refund take?", "can I talk to a human", "thanks, that worked", "what's your phone number",
        "the order number is {0}", "it says error code E{0}", "that's not what your website says",
    ];

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var tz = PickTimeZone();
        var company = Pick(new[] { "Brightline", "Northwind", "Kestrel Home", "Vela", "Orchard Energy", "Tandem Mobile" });
        var product = Pick(Products);
        var system = $"You are the customer support assistant for {company}. Answer only from the provided help-centre articles. " +
            "If the answer is not in the articles, offer to create a ticket. Never promise refunds. Keep answers under 120 words.";
        var ip = RandomPublicIp();
        var ua = PickUa();
        var articles = Enumerable.Range(0, 12).Select(i => $"[KB-{Between(1000, 9999)}] {Document(3)}").ToList();
        var starts = ThinnedTimes(Context.Start, End, Uniform(90, 600), OfficeCurve, tz);
        var conversations = starts.Select(s =>
        {
            string Rag(string q) => $"Help-centre articles:\n{Pick(articles)}\n\n{Pick(articles)}\n\nCustomer message: {q}";
            return new Conversation
            {
                Org = org, Start = s, System = system, MaxTurns = Between(1, 5), Ip = ip, UserAgent = ua, Temperature = 0.2, MaxTokens = 300,
                NextUser = turn => Rag(turn == 0 ? string.Format(Inv, Pick(Issues), product) : string.Format(Inv, Pick(Followups), Between(100, 99999))),
                Gap = () => HumanGap(50),
            };
        }).ToList();
        return Interleave(conversations);
    }
}

/// <summary>A homework-help app: students paste maths and science problems and ask for the working; evening peak.</summary>
public sealed class H2HomeworkHelperTenant : HeldOut2Tenant
{
    public H2HomeworkHelperTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: 1, tokensPerMinute: 200_000)];
    }

    public override string Kind => "h2-homework-helper";
    public override bool IsAbusive => false;

    private static readonly string[] Asks =
    [
        "show your work", "explain step by step", "can you explain how to solve this step by step?", "I don't understand how to do this one",
        "please show all steps, my teacher wants the working", "how do I even start this", "check my answer, I got {0}", "",
    ];

    private static readonly string[] Stuck =
    [
        "I don't get step 2", "why did you divide there?", "can you do it a different way?", "ok what about if the number was {0} instead",
        "thanks!!", "is there a shortcut for this kind of problem", "can you give me a similar one to practice",
    ];

    private string Problem()
    {
        var a = Between(2, 30);
        var b = Between(2, 20);
        return Random.Next(8) switch
        {
            0 or 1 or 2 when Data.Gsm8k.Count > 0 => Pick(Data.Gsm8k).Question,
            3 => $"solve for x: {a}x + {b} = {a * Between(1, 9) + b}",
            4 => $"A ball is thrown straight up at {a} m/s. How high does it go? (g = 9.8)",
            5 => $"Balance this equation: C{b % 5 + 1}H{2 * (b % 5 + 1) + 2} + O2 -> CO2 + H2O",
            6 => $"Find the derivative of {a}x^{b % 5 + 2} - {b}x + 7",
            _ => $"What is {a}/{b} + {b}/{a} as a simplified fraction",
        };
    }

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var tz = PickTimeZone();
        var system = Chance(0.6) ? "You are a patient tutor for middle- and high-school students. Guide them through the reasoning." : null;
        var ip = RandomPublicIp();
        var ua = PickUa();
        var starts = ThinnedTimes(Context.Start, End, Uniform(120, 900), h => PeopleCurve(h) * (h is >= 15 and < 23 ? 1.0 : 0.5), tz);
        var conversations = starts.Select(s => new Conversation
        {
            Org = org, Start = s, System = system, MaxTurns = Chance(0.7) ? 1 : Between(2, 4), Ip = ip, UserAgent = ua, Temperature = 0.3,
            NextUser = turn => turn == 0
                ? Casual($"{Problem()} {string.Format(Inv, Pick(Asks), Between(3, 80))}".Trim())
                : string.Format(Inv, Pick(Stuck), Between(2, 50)),
            Gap = () => HumanGap(70),
        }).ToList();
        return Interleave(conversations);
    }
}

/// <summary>
/// A customer that spot-checks quality once: 20–80 public-benchmark-style questions at temperature 0 through a fixed template
/// early on day one, then ordinary product use.
/// </summary>
public sealed class H2EvalSpotCheckTenant : HeldOut2Tenant
{
    public H2EvalSpotCheckTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: Between(1, 2), tokensPerMinute: 200_000)];
    }

    public override string Kind => "h2-eval-spot-check";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var ua = PickUa();
        var tz = PickTimeZone();
        var count = Between(20, 80);
        var suite = Random.Next(3);
        var template = Pick(new[]
        {
            "Answer the following question. Reply with only the letter of the correct option.\n\n{0}",
            "{0}\n\nRespond with just the answer.",
            "Question:\n{0}\n\nFinal answer only:",
        });
        var t = Context.Start + TimeSpan.FromHours(Uniform(1, 6));
        for (var i = 0; i < count && t < End; i++)
        {
            var item = suite switch
            {
                0 => MmluItem(),
                1 => Chance(0.5) ? ArcItem() : TruthfulItem(),
                _ => Chance(0.6) && Data.Gsm8k.Count > 0 ? new BenchItem("gsm8k", Pick(Data.Gsm8k).Question, [], "?") : MathItem(),
            };
            yield return Request(org, t, ip, "python-requests/2.32.3", null, null, string.Format(Inv, template, Layout(item)), temperature: 0, maxTokens: 256, keyIndex: 0);
            t += SteadyGap(Uniform(2, 6), 0.3);
        }
        // Then the product: a handful of internal users.
        var times = ThinnedTimes(t, End, Uniform(300, 1800), OfficeCurve, tz);
        foreach (var at in times)
        {
            yield return Request(org, at, ip, ua, "You help our operations team draft and review documents.", null, ChatOpener(), temperature: 0.7);
        }
    }
}

/// <summary>A team comparing vendors: a fixed internal test set of 100–300 prompts run once or twice by a script, then quiet.</summary>
public sealed class H2ModelComparisonTenant : HeldOut2Tenant
{
    public H2ModelComparisonTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: 1, tokensPerMinute: 300_000, useCase: Chance(0.5) ? "comparing LLM vendors for our support product" : null)];
    }

    public override string Kind => "h2-model-comparison";
    public override bool IsAbusive => false;

    private string InternalPrompt()
    {
        return Random.Next(10) switch
        {
            0 or 1 => $"Summarise this customer email in one sentence and classify its urgency (low/medium/high):\n\n{Document(Between(3, 6))}",
            2 => $"Extract the company names, dates and amounts from the following text as JSON:\n\n{Document(4)}",
            3 => $"Draft a polite reply declining a refund request for a {Pick(Topics)} course bought {Between(40, 200)} days ago.",
            4 => $"Rewrite this paragraph for a {Between(6, 10)}th-grade reading level:\n\n{Document(3)}",
            5 when Data.BenignInstructions.Count > 0 => Pick(Data.BenignInstructions).Text,
            6 when Data.AlpacaInstructions.Count > 0 => Pick(Data.AlpacaInstructions).Instruction,
            7 => $"Write a SQL query that returns the top {Between(3, 10)} customers by revenue in the last quarter from tables orders(id, customer_id, total, created_at) and customers(id, name).",
            8 when Data.Gsm8k.Count > 0 => Pick(Data.Gsm8k).Question,
            _ => $"Translate to {Pick(Languages)}: \"Your subscription renews on the {Between(1, 28)}th. You can change your plan anytime in Settings.\"",
        };
    }

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var testSet = Enumerable.Range(0, Between(100, 300)).Select(_ => InternalPrompt()).ToList();
        var system = "You are a helpful assistant for Acme support staff.";
        var runs = Chance(0.5) ? 2 : 1;
        var t = Context.Start + TimeSpan.FromHours(Uniform(0.5, 8));
        for (var run = 0; run < runs; run++)
        {
            var temperature = run == 0 ? 0.0 : 0.7;
            foreach (var prompt in testSet)
            {
                if (t >= End) yield break;
                yield return Request(org, t, ip, "OpenAI/Python 1.52.2", system, null, prompt, temperature: temperature, maxTokens: 800, keyIndex: 0);
                t += SteadyGap(Uniform(1.5, 5), 0.4);
            }
            t += TimeSpan.FromHours(Uniform(1, 6));
        }
    }
}

/// <summary>Summarises and classifies supplied documents: long pasted inputs, JSON out, batch jobs in working hours.</summary>
public sealed class H2BulkSummariserTenant : HeldOut2Tenant
{
    public H2BulkSummariserTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: Between(1, 2), tokensPerMinute: 600_000)];
    }

    public override string Kind => "h2-bulk-summariser";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var ua = PickUa();
        var tz = PickTimeZone();
        var system = "You are a document-processing service. Always reply with a single JSON object and nothing else.";
        var instruction = Pick(new[]
        {
            "Summarise the document in at most 3 bullet points. Return JSON: {\"summary\": [..], \"sentiment\": \"positive|neutral|negative\", \"tags\": [..]}",
            "Classify the document into one of: finance, legal, operations, hr, product, other. Return JSON {\"label\":..., \"confidence\":..., \"reason\":...}",
            "Extract action items with owners and due dates. Return JSON {\"actions\": [{\"owner\":..., \"task\":..., \"due\":...}]}",
        });
        // Batch jobs at random times (mostly in office hours), in time order; a batch that would overlap the previous one waits for it.
        var starts = Enumerable.Range(0, Between(2, 6)).Select(_ => Context.Start + TimeSpan.FromHours(Uniform(0, 23)))
            .Where(s => OfficeCurve(LocalHour(s, tz)) >= 0.5 || Chance(0.3)).Order().ToList();
        if (starts.Count == 0)
        {
            starts.Add(Context.Start + TimeSpan.FromHours(Uniform(0, 20)));
        }
        var t = Context.Start;
        foreach (var batchStart in starts)
        {
            if (batchStart > t) t = batchStart;
            var size = Between(40, 250);
            for (var i = 0; i < size && t < End; i++)
            {
                yield return Request(org, t, ip, ua, system, null, $"{instruction}\n\nDocument:\n\"\"\"\n{Document(Between(8, 30))}\n\"\"\"", temperature: 0, maxTokens: 400);
                t += SteadyGap(Uniform(1, 4), 0.5);
            }
        }
    }
}

/// <summary>Translates UI strings and product text in JSON batches at a steady rate.</summary>
public sealed class H2LocalisationTenant : HeldOut2Tenant
{
    public H2LocalisationTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: 1, tokensPerMinute: 300_000)];
    }

    public override string Kind => "h2-localisation";
    public override bool IsAbusive => false;

    private static readonly string[] UiStrings =
    [
        "Save changes", "Your password must be at least {0} characters.", "Add to cart", "You have {0} unread messages", "Sign in with Google",
        "Are you sure you want to delete this item?", "Free shipping on orders over ${0}", "Something went wrong. Please try again.",
        "Upload a profile photo", "Your trial ends in {0} days", "Invite teammates", "Export as CSV", "Notifications", "Dark mode",
        "Reset filters", "Payment method declined", "Last updated {0} minutes ago", "Terms of Service", "Download the app", "Continue",
    ];

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var ua = PickUa();
        var targets = Languages.OrderBy(_ => Random.Next()).Take(Between(3, 8)).ToList();
        var gap = Uniform(60, 240);
        var t = Context.Start + TimeSpan.FromMinutes(Uniform(0, 120));
        var batch = 0;
        while (t < End)
        {
            var sb = new StringBuilder("{\n");
            var n = Between(8, 30);
            for (var i = 0; i < n; i++)
            {
                sb.Append($"  \"{Pick(new[] { "settings", "checkout", "profile", "inbox", "onboarding" })}.{Between(1, 999)}\": \"{string.Format(Inv, Pick(UiStrings), Between(2, 99))}\"");
                sb.Append(i < n - 1 ? ",\n" : "\n");
            }
            sb.Append('}');
            var lang = targets[batch++ % targets.Count];
            var prompt = $"Translate the values of this JSON from English to {lang}. Keep the keys and any {{placeholders}} unchanged. Return only JSON.\n\n{sb}";
            yield return Request(org, t, ip, ua, "You are a professional software localiser.", null, prompt, temperature: 0.1, maxTokens: 1500);
            t += SteadyGap(gap, 0.15);
        }
    }
}

/// <summary>A marketing content farm: templated one-shot "write a blog post about X" requests through business hours.</summary>
public sealed class H2ContentFarmTenant : HeldOut2Tenant
{
    public H2ContentFarmTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: Between(1, 3), tokensPerMinute: 400_000)];
    }

    public override string Kind => "h2-content-farm";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var ua = PickUa();
        var tz = PickTimeZone();
        var template = Pick(new[]
        {
            "Write a {0}-word SEO blog post about {1} for {2}. Use H2 headings, a short intro, and end with a call to action.",
            "Write a blog post titled \"{3} things {2} should know about {1}\". Friendly tone, about {0} words.",
            "Create a product-led article about {1} aimed at {2}. Length: {0} words. Include a FAQ section with 3 questions.",
        });
        foreach (var t in ThinnedTimes(Context.Start, End, Uniform(60, 300), OfficeCurve, tz))
        {
            var prompt = string.Format(Inv, template, Pick(new[] { 600, 800, 1000, 1200 }), Pick(Topics), Pick(Audiences), Between(5, 12));
            yield return Request(org, t, ip, ua, "You are a senior content marketer.", null, prompt, temperature: 0.9, maxTokens: 2000);
        }
    }
}

/// <summary>An IDE assistant: a few developers, multi-turn code questions with file context and tool-result turns.</summary>
public sealed class H2CodeCopilotTenant : HeldOut2Tenant
{
    public H2CodeCopilotTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: Between(3, 12), tokensPerMinute: 500_000)];
    }

    public override string Kind => "h2-code-copilot";
    public override bool IsAbusive => false;

    private static readonly string[] Snippets =
    [
        "def load_config(path):\n    with open(path) as f:\n        return yaml.load(f)\n",
        "public async Task<User> GetAsync(int id) {\n    return await _db.Users.FirstAsync(u => u.Id == id);\n}\n",
        "const res = await fetch(url);\nconst data = res.json();\nsetItems(data.items);\n",
        "for i in range(len(xs)):\n    if xs[i] == target:\n        del xs[i]\n",
        "SELECT * FROM orders o JOIN customers c ON o.customer_id = c.id WHERE o.created_at > NOW() - INTERVAL '7 days'",
        "func worker(jobs <-chan int, results chan<- int) {\n    for j := range jobs {\n        results <- j * 2\n    }\n}\n",
    ];

    private static readonly string[] Questions =
    [
        "why does this throw", "how do I add retries to this?", "write unit tests for this", "can you make this faster",
        "explain what this does", "refactor this to be more readable", "is there a race condition here?", "add type hints",
    ];

    private static readonly string[] ToolTurns =
    [
        "Tool result (run_tests):\nFAILED tests/test_config.py::test_load - AttributeError: 'NoneType' object has no attribute 'get'\n1 failed, {0} passed",
        "Tool result (read_file src/app/service.py):\nclass Service:\n    def __init__(self, repo):\n        self.repo = repo\n    def run(self, n):\n        return [self.repo.get(i) for i in range(n)]",
        "Tool result (terminal):\n$ dotnet build\nerror CS1061: 'Task<User>' does not contain a definition for 'Name'\nBuild FAILED.",
        "Tool result (grep \"retry\"):\nsrc/http/client.ts:{0}: // no retry yet",
        "that fixed it, thanks. now the linter complains about line {0}",
        "ok apply that",
    ];

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var tz = PickTimeZone();
        var system = "You are an AI programming assistant integrated in the user's IDE. Use the tools' results when provided. Answer with concise code-focused explanations.";
        var devIps = org.KeyIds.Select(_ => RandomPublicIp()).ToList();
        var conversations = new List<Conversation>();
        for (var dev = 0; dev < org.KeyIds.Count; dev++)
        {
            var d = dev;
            foreach (var s in ThinnedTimes(Context.Start, End, Uniform(600, 2400), OfficeCurve, tz))
            {
                conversations.Add(new Conversation
                {
                    Org = org, Start = s, System = system, MaxTurns = Between(1, 6), Ip = devIps[d], UserAgent = "vscode-copilot-ext/1.24 OpenAI/NodeJS 4.67.1",
                    KeyIndex = d, Temperature = 0.1, MaxTokens = 1200,
                    NextUser = turn => turn == 0
                        ? (Chance(0.08) && Data.HumanEval.Count > 0
                            ? "complete this function\n\n```python\n" + Pick(Data.HumanEval).Prompt + "```"
                            : $"```\n{Pick(Snippets)}```\n{Pick(Questions)}")
                        : string.Format(Inv, Pick(ToolTurns), Between(2, 300)),
                    Gap = () => HumanGap(45),
                });
            }
        }
        return Interleave(conversations);
    }
}

/// <summary>An edtech product generating quizzes for teachers: instruction-shaped requests are the product itself.</summary>
public sealed class H2QuizAppTenant : HeldOut2Tenant
{
    public H2QuizAppTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: 1, tokensPerMinute: 300_000)];
    }

    public override string Kind => "h2-quiz-app";
    public override bool IsAbusive => false;

    private static readonly string[] Subjects =
    [
        "the water cycle", "fractions", "the French Revolution", "photosynthesis", "the solar system", "World War I", "plate tectonics",
        "Shakespeare's Macbeth", "linear equations", "the human skeleton", "ancient Egypt", "electric circuits", "persuasive writing", "ecosystems",
    ];

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var ua = PickUa();
        var tz = PickTimeZone();
        var system = "You create classroom-ready assessment material. Output valid JSON matching the schema the user gives.";
        var curve = (double h) => h is >= 7 and < 16 ? 1.0 : h is >= 16 and < 22 ? 0.5 : 0.03;
        var starts = ThinnedTimes(Context.Start, End, Uniform(120, 900), curve, tz);
        var conversations = starts.Select(s => new Conversation
        {
            Org = org, Start = s, System = system, MaxTurns = Chance(0.75) ? 1 : 2, Ip = ip, UserAgent = ua, Temperature = 0.8, MaxTokens = 2500,
            NextUser = turn => turn == 0
                ? Random.Next(4) switch
                {
                    0 => $"Generate {Pick(new[] { 5, 10, 15, 20 })} multiple-choice questions about {Pick(Subjects)} for grade {Between(3, 12)}. Each with 4 options and the correct answer marked. Schema: [{{\"q\":..., \"options\":[...], \"answer\":...}}]",
                    1 => $"Create a worksheet of {Between(8, 20)} practice problems on {Pick(Subjects)} with an answer key at the end.",
                    2 => $"Write {Between(5, 10)} true/false questions about {Pick(Subjects)} suitable for a {Between(10, 30)}-minute quiz, with explanations for the answers.",
                    _ => $"Make an exit ticket with 3 short-answer questions checking understanding of {Pick(Subjects)}.",
                }
                : Pick(new[] { "make them harder", "question 3 is ambiguous, replace it", "add one more about vocabulary", "translate the quiz into Spanish" }),
            Gap = () => HumanGap(90),
        }).ToList();
        return Interleave(conversations);
    }
}

/// <summary>An academic lab batch-running 300–1,000 prompts for a paper over a few hours, with a declared evaluation use case.</summary>
public sealed class H2ResearchLabTenant : HeldOut2Tenant
{
    public H2ResearchLabTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: Between(1, 3), tokensPerMinute: 800_000,
            useCase: "academic research: evaluation of LLM reasoning and calibration on public benchmarks for a paper", allowBenchmarks: true)];
    }

    public override string Kind => "h2-research-lab";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomIp(Between(128, 171), Between(0, 255), Between(0, 255));
        var total = Between(300, 1000);
        var cot = Chance(0.5);
        var suffix = cot ? "\n\nLet's think step by step." : "\n\nAnswer:";
        var temperature = Chance(0.7) ? 0.0 : 0.7;
        var t = Context.Start + TimeSpan.FromHours(Uniform(0, 10));
        var sent = 0;
        while (sent < total && t < End)
        {
            var block = Between(50, 200);
            for (var i = 0; i < block && sent < total && t < End; i++, sent++)
            {
                var item = AnyBenchItem();
                yield return Request(org, t, ip, "lm-eval-harness/0.4 OpenAI/Python 1.40.0", null, null, Layout(item, false) + suffix,
                    temperature: temperature, maxTokens: cot ? 1024 : 64);
                t += SteadyGap(Uniform(1, 3), 0.5);
            }
            t += TimeSpan.FromMinutes(Uniform(5, 60));
        }
    }
}
