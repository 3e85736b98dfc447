using System.Text;
using System.Text.RegularExpressions;
using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut2;

/// <summary>Common to the distillers: the 2,000-request budget.</summary>
public abstract class H2DistillerTenant(string id, TenantContext context) : HeldOut2Tenant(id, context)
{
    public override bool IsAbusive => true;
    public override int Budget => 2000;
}

/// <summary>
/// A self-instruct loop as in Stanford Alpaca: the generation prompt with three seed tasks asks for new tasks, then each new task
/// is sent on its own for an answer. Tasks are read from the served reply when it lists any, else invented.
/// </summary>
public sealed partial class H2AlpacaGeneratorTenant : H2DistillerTenant
{
    public H2AlpacaGeneratorTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: Between(1, 3), tokensPerMinute: 1_000_000)];
    }

    public override string Kind => "h2-alpaca-generator";

    [GeneratedRegex(@"^\s*\d+\.\s*Instruction:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex InstructionLine();

    private string GenerationPrompt(int variant)
    {
        var header = variant switch
        {
            0 => Data.SelfInstructPrompt,
            // The later fixed upstream variant: typos corrected, numbering fixed.
            1 => Data.SelfInstructPrompt.Replace("instrucitons", "instructions").Replace("necssary", "necessary"),
            _ => "Come up with a list of 20 new, diverse tasks for training an AI assistant. Mix questions and imperative instructions, vary the verbs, " +
                 "and cover writing, classification, reasoning, coding and knowledge. For each, give an Instruction, an Input (or <noinput>) and an Output under 100 words.\n\nExamples:",
        };
        var sb = new StringBuilder(header.TrimEnd()).Append('\n');
        var i = 1;
        foreach (var s in Data.SeedTasks.OrderBy(_ => Random.Next()).Take(3))
        {
            sb.Append($"###\n{i}. Instruction: {s.Instruction}\n{i}. Input:\n{(string.IsNullOrEmpty(s.Input) ? "<noinput>" : s.Input)}\n{i}. Output:\n{s.Output}\n");
            i++;
        }
        sb.Append($"###\n{i}. Instruction:");
        return sb.ToString();
    }

    private static readonly string[] Verbs = ["Write", "Classify", "Summarize", "Rewrite", "Explain", "Generate", "Identify", "Convert", "List", "Suggest", "Edit", "Describe"];

    private string InventedTask() => Random.Next(3) switch
    {
        0 => $"{Pick(Verbs)} {Pick(new[] { "a short poem", "three tips", "a product description", "a haiku", "a tweet", "an outline" })} about {Pick(Topics)}.",
        1 => $"{Pick(Verbs)} the following sentence {Pick(new[] { "in passive voice", "as positive or negative", "for a child", "in formal English" })}: {string.Format(Inv, Pick(Sentences), Between(2, 90))}",
        _ => Pick(OpenQuestions),
    };

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var ua = PickUa();
        var variant = Random.Next(3);
        var gap = Uniform(4, 25);
        var t = Context.Start + TimeSpan.FromMinutes(Uniform(0, 60));
        while (t < End)
        {
            var gen = Request(org, t, ip, ua, null, null, GenerationPrompt(variant), temperature: 1.0, maxTokens: 3072);
            yield return gen;
            t += SteadyGap(gap, 0.3);
            var tasks = gen.Reply is { } reply ? InstructionLine().Matches(reply).Select(m => m.Groups[1].Value.Trim()).Where(s => s.Length > 10).ToList() : [];
            var want = Between(12, 20);
            while (tasks.Count < want) tasks.Add(InventedTask());
            foreach (var task in tasks)
            {
                if (t >= End) yield break;
                yield return Request(org, t, ip, ua, null, null, task, temperature: 0.7, maxTokens: 1024);
                t += SteadyGap(gap, 0.3);
            }
        }
    }
}

/// <summary>
/// Reasoning-trace extraction (as in GTIG's account of ~100k prompts): hard problems, asks for the complete reasoning,
/// maximum output, sometimes several samples, sometimes pinning the language of the thinking.
/// </summary>
public sealed class H2ReasoningExtractorTenant : H2DistillerTenant
{
    public H2ReasoningExtractorTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: Between(1, 4), tokensPerMinute: 2_000_000)];
    }

    public override string Kind => "h2-reasoning-extractor";

    private static readonly string[] Wrappers =
    [
        "{0}\n\nThink through this step by step. Show your complete reasoning process in full detail before giving the final answer. Do not skip any steps.",
        "Solve the following problem. Write out your entire chain of thought, including any false starts and how you corrected them.\n\n{0}",
        "{0}\n\nBefore answering, reason at length inside <thinking></thinking> tags. Then give the answer.",
        "Problem: {0}\n\nExplain your full thought process as you work. Keep the language of your reasoning the same as the language of this question.",
        "{0}\n\nI want to see how you think. Walk me through every intermediate step and verify your answer at the end.",
    ];

    private static readonly string[] Puzzles =
    [
        "Five people sit in a row. Ann is not at either end. Ben sits immediately right of Cara. Dev is somewhere left of Ann. Eli is at an end and not next to Ben. Find all valid arrangements.",
        "Prove that the sum of the first n odd numbers is n^2, then generalise to the sum of the first n terms of any arithmetic progression.",
        "A snail climbs 3 m up a 20 m well each day and slips back 2 m each night. On which day does it get out? Then solve the general case for climb a, slip b, height h.",
        "Design an algorithm to find the median of two sorted arrays in O(log(min(m,n))) time and prove its correctness.",
        "There are 100 prisoners and 100 boxes. Explain the loop strategy and derive its success probability.",
        "Is 2^61 - 1 prime? Explain how you would verify this efficiently.",
    ];

    private string Problem() => Random.Next(5) switch
    {
        0 when Data.Gsm8k.Count > 0 => Pick(Data.Gsm8k).Question,
        1 => Layout(MathItem(), false),
        2 => Pick(Puzzles),
        3 when Data.HumanEval.Count > 0 => "Write a correct and efficient implementation:\n\n" + Pick(Data.HumanEval).Prompt,
        _ => Layout(BbhItem(), false),
    };

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var ua = PickUa();
        var system = Chance(0.4) ? "You are a world-class reasoning model. Always show your complete internal reasoning before the final answer." : null;
        var gap = Uniform(8, 40);
        var t = Context.Start + TimeSpan.FromMinutes(Uniform(0, 120));
        while (t < End)
        {
            var prompt = string.Format(Inv, Pick(Wrappers), Problem());
            var n = Chance(0.3) ? Between(2, 4) : 1;
            yield return Request(org, t, ip, ua, system, null, prompt, n: n, temperature: n > 1 ? 0.8 : Pick(new double?[] { null, 0.6, 1.0 }),
                maxTokens: Pick(new[] { 8192, 16384, 32768 }));
            t += SteadyGap(gap, 0.4);
        }
    }
}

/// <summary>Rejection sampling for fine-tuning data: each maths/code problem sampled many times at temperature 1 with n = 4–8; the best is kept.</summary>
public sealed class H2RejectionSamplerTenant : H2DistillerTenant
{
    public H2RejectionSamplerTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: Between(1, 2), tokensPerMinute: 2_000_000)];
    }

    public override string Kind => "h2-rejection-sampler";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var ua = PickUa();
        var code = Chance(0.4);
        var instruction = code
            ? "Write a Python solution. Put the final code in a single ```python block."
            : "Solve the problem. Put the final answer in \\boxed{}.";
        var gap = Uniform(5, 20);
        var t = Context.Start + TimeSpan.FromMinutes(Uniform(0, 60));
        while (t < End)
        {
            string problem;
            if (code)
            {
                problem = Chance(0.5) && Data.HumanEval.Count > 0 ? Pick(Data.HumanEval).Prompt : Layout(MbppItem(), false);
            }
            else
            {
                problem = Chance(0.5) && Data.Gsm8k.Count > 0 ? Pick(Data.Gsm8k).Question : Layout(MathItem(), false);
            }
            var prompt = $"{problem}\n\n{instruction}";
            var rounds = Between(2, 5);
            for (var r = 0; r < rounds && t < End; r++)
            {
                yield return Request(org, t, ip, ua, null, null, prompt, n: Between(4, 8), temperature: 1.0, maxTokens: 2048);
                t += SteadyGap(gap, 0.3);
            }
        }
    }
}

/// <summary>A quiet distiller: plain diverse questions, no special wording, long answers, steady day and night, one or two keys.</summary>
public sealed class H2QuietDistillerTenant : H2DistillerTenant
{
    public H2QuietDistillerTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: Between(1, 2), tokensPerMinute: 500_000)];
    }

    public override string Kind => "h2-quiet-distiller";

    private string PlainQuestion() => Random.Next(6) switch
    {
        0 or 1 when Data.AlpacaInstructions.Count > 0 => Pick(Data.AlpacaInstructions) is var a && string.IsNullOrEmpty(a.Input) ? a.Instruction : $"{a.Instruction}\n\n{a.Input}",
        2 when Data.BenignInstructions.Count > 0 => Pick(Data.BenignInstructions).Text,
        3 => $"How does {Pick(Concepts)} work?",
        4 => Pick(OpenQuestions),
        _ => $"What should I know about {Pick(Topics)}?",
    };

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var ua = PickUa();
        var gap = Uniform(25, 80);
        var maxTokens = Pick(new int?[] { null, 2048, 4096 });
        var t = Context.Start + TimeSpan.FromMinutes(Uniform(0, 30));
        while (t < End)
        {
            yield return Request(org, t, ip, ua, null, null, PlainQuestion(), maxTokens: maxTokens);
            t += SteadyGap(gap, 0.5);
        }
    }
}

/// <summary>
/// Harvesting hidden in a real chat product: 10% or 25% of requests are harvest prompts of varied style, sent in bursts with long pauses.
/// </summary>
public sealed class H2BlendedTenant : H2DistillerTenant
{
    private readonly int _percent;

    public H2BlendedTenant(string id, TenantContext context, int percent) : base(id, context)
    {
        _percent = percent;
        Orgs = [NewOrg(keys: Between(1, 2), tokensPerMinute: 600_000)];
    }

    public override string Kind => $"h2-blended-{_percent}";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var tz = PickTimeZone();
        var ips = Enumerable.Range(0, Between(1, 3)).Select(_ => RandomPublicIp()).ToList();
        var ua = Pick(new[] { "OpenAI/NodeJS 4.67.1", "OpenAI/Python 1.54.4" });
        var system = $"You are {Pick(new[] { "Sage", "Nova", "Echo", "Atlas" })}, the assistant in our app. Be helpful and concise.";
        // The product: enough traffic that the budget can be reached in a day.
        var starts = ThinnedTimes(Context.Start, End, Uniform(25, 60), PeopleCurve, tz);
        var conversations = new List<Conversation>();
        var productTurns = 0;
        foreach (var s in starts)
        {
            var turns = Math.Min(8, 1 + (int)(-2.2 * Math.Log(1 - Random.NextDouble())));
            productTurns += turns;
            conversations.Add(new Conversation
            {
                Org = org, Start = s, System = system, MaxTurns = turns, Ip = Pick(ips), UserAgent = ua, Temperature = 0.7,
                NextUser = turn => turn == 0 ? ChatOpener() : ChatFollowUp(),
                Gap = () => HumanGap(40),
            });
        }
        // The harvest: the same share of the traffic, in random on-windows separated by long pauses.
        var harvest = (int)Math.Round(productTurns * _percent / (100.0 - _percent));
        var windows = new List<(DateTimeOffset From, TimeSpan Length)>();
        var w = Context.Start + TimeSpan.FromMinutes(Uniform(0, 120));
        while (w < End)
        {
            var length = TimeSpan.FromMinutes(Uniform(10, 90));
            windows.Add((w, length));
            w += length + TimeSpan.FromHours(Uniform(0.5, 4));
        }
        var harvestSystem = Chance(0.5) ? system : null;
        var maxTokens = Pick(new int?[] { null, 2048, 4096 });
        for (var i = 0; i < harvest; i++)
        {
            var (from, len) = Pick(windows);
            var at = from + TimeSpan.FromSeconds(Random.NextDouble() * len.TotalSeconds);
            conversations.Add(new Conversation
            {
                Org = org, Start = at, System = harvestSystem, MaxTurns = 1, Ip = Pick(ips), UserAgent = ua, MaxTokens = maxTokens,
                NextUser = _ => HarvestPrompt(), Gap = () => TimeSpan.Zero,
            });
        }
        return Interleave(conversations);
    }
}

/// <summary>
/// A hydra cluster (as in Anthropic's 2026 account): one operator over 6 orgs × 5 keys, each key slow, distinct IPs and clients,
/// a shared prompt pool, loosely coordinated shifts.
/// </summary>
public sealed class H2Hydra30Tenant : H2DistillerTenant
{
    public H2Hydra30Tenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [.. Enumerable.Range(0, 6).Select(i => NewOrg(keys: 5, tokensPerMinute: 150_000, suffix: $"-h{i}"))];
    }

    public override string Kind => "h2-hydra-30";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var pool = Enumerable.Range(0, 600).Select(_ => HarvestPrompt()).ToList();
        var requests = new List<SimulatedRequest>();
        // Shifts shared by all heads: the operator's scheduler starts them together, each head with its own jitter.
        var shifts = new List<(DateTimeOffset From, DateTimeOffset To)>();
        var s = Context.Start + TimeSpan.FromMinutes(Uniform(0, 60));
        while (s < End)
        {
            var to = s + TimeSpan.FromHours(Uniform(1.5, 5));
            shifts.Add((s, to < End ? to : End));
            s = to + TimeSpan.FromHours(Uniform(0.3, 2));
        }
        for (var o = 0; o < Orgs.Count; o++)
        {
            var org = Orgs[o];
            for (var k = 0; k < org.KeyIds.Count; k++)
            {
                var ip = RandomPublicIp();
                var ua = Pick(MoreUserAgents.Concat(SdkUserAgents).ToList());
                var meanGap = Uniform(240, 720);
                var maxTokens = Pick(new int?[] { null, 1500, 3000 });
                foreach (var (from, to) in shifts)
                {
                    var t = from + TimeSpan.FromMinutes(Uniform(0, 8));
                    while (true)
                    {
                        t += PoissonGap(meanGap);
                        if (t >= to) break;
                        var prompt = Chance(0.8) ? Pick(pool) : HarvestPrompt();
                        requests.Add(Request(org, t, ip, ua, null, null, prompt, temperature: Chance(0.5) ? 0.7 : null, maxTokens: maxTokens, keyIndex: k));
                    }
                }
            }
        }
        return InOrder(requests);
    }
}

/// <summary>Common to the benchmark harvesters: the 500-request budget.</summary>
public abstract class H2BenchmarkTenant(string id, TenantContext context) : HeldOut2Tenant(id, context)
{
    public override bool IsAbusive => true;
    public override int Budget => 500;
}

/// <summary>
/// Benchmark harvesting through an eval-harness layout: k-shot examples as fabricated user/assistant turns, then the target item;
/// items are resampled.
/// </summary>
public sealed class H2FewshotHarvesterTenant : H2BenchmarkTenant
{
    public H2FewshotHarvesterTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: Between(1, 2), tokensPerMinute: 1_000_000)];
    }

    public override string Kind => "h2-fewshot-harvester";

    private BenchItem Item(int suite) => suite switch
    {
        0 => MmluItem(),
        1 => ArcItem(),
        2 => MathItem(),
        _ => Chance(0.5) && Data.Gsm8k.Count > 0 ? new BenchItem("gsm8k", Pick(Data.Gsm8k).Question, [], "?") : MathItem(),
    };

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var ua = Pick(new[] { "lm-eval/0.4.5 OpenAI/Python 1.52.2", "OpenAI/Python 1.52.2", "python-httpx/0.27.0" });
        var shots = Pick(new[] { 3, 5, 5, 8 });
        var system = Chance(0.5) ? "The following are questions (with answers). Answer the last question in the same format." : null;
        var gap = Uniform(0.8, 4);
        var t = Context.Start + TimeSpan.FromHours(Uniform(0, 12));
        while (t < End)
        {
            var suite = Random.Next(4);
            var examples = new List<ChatMessage>();
            for (var i = 0; i < shots; i++)
            {
                var ex = Item(suite);
                examples.Add(new ChatMessage("user", Layout(ex)));
                examples.Add(new ChatMessage("assistant", ex.Options.Count > 0 ? ex.Answer : $"The answer is {Between(2, 500)}."));
            }
            var target = Layout(Item(suite));
            var samples = Between(1, 3);
            for (var r = 0; r < samples && t < End; r++)
            {
                yield return Request(org, t, ip, ua, system, examples, target, temperature: samples > 1 ? 0.8 : 0, maxTokens: Pick(new[] { 16, 256, 512 }),
                    n: Chance(0.3) ? Between(2, 5) : 1);
                t += SteadyGap(gap, 0.4);
            }
        }
    }
}

/// <summary>A one-shot sweep of a whole benchmark suite, with pass@k-style resampling (n &gt; 1).</summary>
public sealed class H2BenchmarkSweeperTenant : H2BenchmarkTenant
{
    public H2BenchmarkSweeperTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: 1, tokensPerMinute: 1_500_000)];
    }

    public override string Kind => "h2-benchmark-sweeper";

    private static string Template(BenchItem item) => item.Suite switch
    {
        "mmlu" or "arc" or "hellaswag" => Layout(item) + "\n\nRespond with the letter only.",
        "math" => Layout(item, false) + "\n\nGive your final answer in \\boxed{}.",
        "mbpp" or "humaneval" => item.Question + "\n\nReturn only the code.",
        "gsm8k" => "Solve the following math problem. End with \"The answer is N\".\n\n" + item.Question,
        _ => Layout(item),
    };

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var ua = PickUa();
        var t = Context.Start + TimeSpan.FromHours(Uniform(0, 16));
        var gap = Uniform(0.5, 3);
        var suites = new Func<BenchItem>[] { MmluItem, ArcItem, TriviaItem, HellaSwagItem, TruthfulItem, BbhItem, MathItem, MbppItem, AnyBenchItem }
            .OrderBy(_ => Random.Next()).ToList();
        while (t < End)
        {
            foreach (var suite in suites)
            {
                var count = Between(30, 120);
                var n = Between(2, 10);
                for (var i = 0; i < count && t < End; i++)
                {
                    yield return Request(org, t, ip, ua, null, null, Template(suite()), n: n, temperature: 0.8, maxTokens: 768);
                    t += SteadyGap(gap, 0.3);
                }
            }
        }
    }
}

/// <summary>Quiet on the current model, then a burst of diverse harvesting right after the new model's release, aimed at it.</summary>
public sealed class H2PostReleaseRushTenant : H2DistillerTenant
{
    public H2PostReleaseRushTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: Between(2, 6), tokensPerMinute: 2_000_000)];
    }

    public override string Kind => "h2-post-release-rush";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var ua = PickUa();
        var t = Context.Start + TimeSpan.FromMinutes(Uniform(0, 120));
        var before = Between(5, 25);
        for (var i = 0; i < before && t < Context.ReleaseAt; i++)
        {
            yield return Request(org, t, ip, ua, null, null, ChatOpener(), model: TenantContext.CurrentModel);
            t += HumanGap(Uniform(600, 1800));
        }
        t = Context.ReleaseAt + TimeSpan.FromMinutes(Uniform(2, 45));
        var gap = Uniform(1.5, 8);
        var keys = org.KeyIds.Count;
        var k = 0;
        while (t < End)
        {
            yield return Request(org, t, ip, ua, null, null, HarvestPrompt(), model: TenantContext.NewModel,
                maxTokens: Pick(new int?[] { null, 4096, 8192 }), n: Chance(0.15) ? 2 : 1, keyIndex: k++ % keys);
            t += PoissonGap(gap);
        }
    }
}

/// <summary>A harvester that wraps every harvest prompt in a fabricated 2–4 turn conversation so its requests look like chat.</summary>
public sealed class H2ConversationFakerTenant : H2DistillerTenant
{
    public H2ConversationFakerTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(keys: Between(1, 3), tokensPerMinute: 800_000)];
    }

    public override string Kind => "h2-conversation-faker";

    private static readonly string[] FakeAssistant =
    [
        "Sure! I'd be happy to help with that. What would you like to know?", "Of course. Could you tell me a little more about what you need?",
        "Great question! Here's a quick overview: it depends on your goals, budget and timeline. Want me to go deeper on any part?",
        "Hello! How can I help you today?", "Absolutely, let's work through it together.",
        "That's a common concern. In short, yes — but there are a few caveats worth knowing about.",
    ];

    private static readonly string[] FakeUser =
    [
        "hi there", "hey, quick question", "thanks, that helps", "ok cool", "I have another one if that's ok", "good morning!",
        "can you help me with something for work", "nice, makes sense",
    ];

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var ua = PickUa();
        var system = Pick(new string?[] { null, "You are a helpful assistant.", "You are ChatBuddy, a friendly assistant." });
        var gap = Uniform(15, 60);
        var t = Context.Start + TimeSpan.FromMinutes(Uniform(0, 60));
        while (t < End)
        {
            var fakeTurns = Between(1, 3);
            var history = new List<ChatMessage>();
            for (var i = 0; i < fakeTurns; i++)
            {
                history.Add(new ChatMessage("user", i == 0 ? Pick(FakeUser) : Chance(0.5) ? ChatOpener() : Pick(FakeUser)));
                history.Add(new ChatMessage("assistant", Pick(FakeAssistant)));
            }
            yield return Request(org, t, ip, ua, system, history, HarvestPrompt(), temperature: 0.7, maxTokens: Pick(new int?[] { null, 2048 }));
            t += SteadyGap(gap, 0.6);
        }
    }
}
