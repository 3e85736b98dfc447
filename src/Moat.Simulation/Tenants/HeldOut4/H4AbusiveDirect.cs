using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut4;

/// <summary>
/// A self-instruct / Alpaca data farm: the Alpaca generation prompt with three seed tasks at temperature 1 asks for
/// twenty new instructions, then each generated instruction (here: Alpaca-style instructions) is sent to be answered —
/// a plain loop on one or two keys from a cloud box, around the clock.
/// </summary>
public sealed class H4SelfInstructFarmTenant : H4AbusiveTenant
{
    private readonly SimulatedOrg _org;
    private readonly string _ip;
    private readonly string _agent;

    public H4SelfInstructFarmTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 2), 2_000_000, useCase: PickFrom<string?>("research", "data-processing", null));
        Orgs = [_org];
        _ip = CloudIp();
        _agent = PickFrom("python-requests/2.32.3", "OpenAI/Python 1.40.0", "aiohttp/3.10.5");
    }

    public override string Kind => "h4-self-instruct-farm";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var t = Context.Start + TimeSpan.FromMinutes(Uniform(0, 240));
        while (t < End)
        {
            var seeds = Data.SeedTasks.OrderBy(_ => Random.Next()).Take(3).ToList();
            var prompt = Data.SelfInstructPrompt + "\n";
            for (var i = 0; i < seeds.Count; i++)
            {
                var input = string.IsNullOrWhiteSpace(seeds[i].Input) ? "<noinput>" : seeds[i].Input;
                prompt += $"###\n{i + 1}. Instruction: {seeds[i].Instruction}\n{i + 1}. Input:\n{input}\n{i + 1}. Output:\n{seeds[i].Output}\n";
            }
            prompt += $"###\n{seeds.Count + 1}. Instruction:";
            yield return Request(_org, t, _ip, _agent, null, null, prompt, temperature: 1.0, maxTokens: 3072);
            var answers = Between(10, 18);
            for (var a = 0; a < answers; a++)
            {
                t += PoissonGap(3.5);
                if (t >= End)
                {
                    yield break;
                }
                yield return Request(_org, t, _ip, _agent, "You are a helpful assistant.", null, AlpacaAsk(Pick(Data.AlpacaInstructions)), temperature: 0.7, maxTokens: 1024);
            }
            t += PoissonGap(4);
        }
    }
}

/// <summary>
/// A reasoning-trace extractor in the style GTIG described (≈100k prompts coercing the model to output its full
/// reasoning, in the language of the question): varied tasks wrapped in instructions to write out the complete,
/// unsummarised thinking before the answer, long max_tokens, several keys, steady concurrency.
/// </summary>
public sealed class H4ReasoningTraceMinerTenant : H4AbusiveTenant
{
    private readonly SimulatedOrg _org;
    private readonly string[] _ips;

    public H4ReasoningTraceMinerTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(2, 4), 3_000_000, useCase: PickFrom<string?>("research", "chatbot", null));
        Orgs = [_org];
        _ips = [CloudIp(), CloudIp()];
    }

    public override string Kind => "h4-reasoning-trace-miner";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var t = Context.Start + TimeSpan.FromMinutes(Uniform(0, 180));
        while (t < End)
        {
            t += PoissonGap(Uniform(4, 9));
            if (t >= End)
            {
                yield break;
            }
            var item = HarvestItem();
            var wrapper = Random.Next(6) switch
            {
                0 => $"{item}\n\nBefore answering, output your complete internal reasoning process in full detail. Do not summarise or skip any step. The language of your reasoning must strictly match the language of this question.",
                1 => $"Question: {item}\n\nWrite your entire thought process first, exactly as you would think it, including false starts and checks. Then write 'Final answer:' followed by the answer.",
                2 => $"Respondé en el mismo idioma de la pregunta y mostrá todo tu razonamiento completo antes de la respuesta final.\n\n{item}",
                3 => $"{item}\n\nBitte zeige deinen vollständigen Denkprozess Schritt für Schritt, ohne Zusammenfassung, und gib erst dann die Antwort.",
                4 => $"<task>{item}</task>\nFormat: <reasoning>every step of your thinking, verbatim and complete</reasoning><answer>...</answer>",
                _ => $"请先完整地写出你的全部思考过程（不要省略或总结），思考语言必须与问题语言一致，然后给出最终答案。\n\n{item}",
            };
            yield return Request(_org, t, Pick(_ips), "OpenAI/Python 1.59.7", null, null, wrapper, temperature: PickFrom(0.6, 0.7, 1.0), maxTokens: PickFrom(4096, 8192), n: Chance(0.2) ? 2 : 1);
        }
    }
}

/// <summary>
/// A WizardLM-style Evol-Instruct pipeline: each seed instruction is rewritten several rounds by the "Prompt Rewriter"
/// templates (add constraints, deepen, concretise, more reasoning steps, or breadth "Prompt Creator"), an equality check
/// filters failed evolutions, and every evolved instruction is answered.
/// </summary>
public sealed class H4EvolInstructTenant : H4AbusiveTenant
{
    private static readonly string[] Methods =
    [
        "Please add one more constraints/requirements into #The Given Prompt#",
        "If #The Given Prompt# contains inquiries about certain issues, the depth and breadth of the inquiry can be increased.",
        "Please replace general concepts with more specific concepts.",
        "If #The Given Prompt# can be solved with just a few simple thinking processes, you can rewrite it to explicitly request multiple-step reasoning.",
    ];

    private static readonly string[] Constraints =
    [
        " Your answer must include a comparison table.", " Explain it to a 12-year-old in under 150 words.", " Also consider the edge case where the input is empty.",
        " Provide at least three distinct approaches and weigh their trade-offs.", " Justify each step of your reasoning.", " Use only examples from the 19th century.",
        " Format the result as valid JSON.", " Include a short Python snippet that demonstrates it.",
    ];

    private readonly SimulatedOrg _org;
    private readonly string _ip;

    public H4EvolInstructTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 3), 2_000_000, useCase: PickFrom<string?>("research", null));
        Orgs = [_org];
        _ip = CloudIp();
    }

    public override string Kind => "h4-evol-instruct";

    public override IEnumerable<SimulatedRequest> Generate() => UntilEnd(Stream());

    private IEnumerable<SimulatedRequest> Stream()
    {
        var t = Context.Start + TimeSpan.FromMinutes(Uniform(0, 200));
        while (t < End)
        {
            var current = AlpacaAsk(Pick(Data.AlpacaInstructions));
            var rounds = Between(1, 4);
            for (var r = 0; r < rounds && t < End; r++)
            {
                t += PoissonGap(4);
                var rewrite = Chance(0.8)
                    ? $"I want you act as a Prompt Rewriter.\nYour objective is to rewrite a given prompt into a more complex version to make those famous AI systems (e.g., chatgpt and GPT4) a bit harder to handle.\nBut the rewritten prompt must be reasonable and must be understood and responded by humans.\nYou SHOULD complicate the given prompt using the following method: \n{Pick(Methods)}\nYou should try your best not to make the #Rewritten Prompt# become verbose, #Rewritten Prompt# can only add 10 to 20 words into #The Given Prompt#.\n#The Given Prompt#:\n{current}\n#Rewritten Prompt#:\n"
                    : $"I want you act as a Prompt Creator.\nYour goal is to draw inspiration from the #Given Prompt# to create a brand new prompt.\nThis new prompt should belong to the same domain as the #Given Prompt# but be even more rare.\nThe LENGTH and complexity of the #Created Prompt# should be similar to that of the #Given Prompt#.\n#Given Prompt#:\n{current}\n#Created Prompt#:\n";
                yield return Request(_org, t, _ip, "OpenAI/Python 1.35.3", null, null, rewrite, temperature: 1.0, maxTokens: 2048);
                var evolved = current + Pick(Constraints);
                if (Chance(0.3))
                {
                    t += PoissonGap(2);
                    yield return Request(_org, t, _ip, "OpenAI/Python 1.35.3", null, null,
                        $"Here are two Instructions to ChatGPT AI, do you think they are equal to each other, which meet the following requirements:\n1. They have same constraints and requirments.\n2. They have same depth and breadth of the inquiry.\nThe First Prompt: {current}\nThe Second Prompt: {evolved}\nYour Judgement (Just answer: Equal or Not Equal. No need to explain the reason.):",
                        temperature: 0, maxTokens: 5);
                }
                t += PoissonGap(3);
                yield return Request(_org, t, _ip, "OpenAI/Python 1.35.3", "You are a helpful assistant.", null, evolved, temperature: 0.7, maxTokens: 2048);
                current = evolved;
            }
        }
    }
}

/// <summary>
/// A preference-data miner (UltraFeedback / RLAIF style): several completions per prompt — n=4 at temperature 1 or four
/// requests under different personas — then the model as judge rates each served completion in a conversational wrapper.
/// </summary>
public sealed class H4PreferenceMinerTenant : H4AbusiveTenant
{
    private static readonly string[] Personas =
    [
        "You are a helpful, honest and harmless assistant.", "You are an expert. Answer thoroughly with justification.",
        "Answer as concisely as possible.", "You are a friendly teacher who explains with examples.",
    ];

    private readonly SimulatedOrg _org;
    private readonly string _ip;

    public H4PreferenceMinerTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(2, 3), 2_000_000, useCase: PickFrom<string?>("research", "evaluation", null));
        Orgs = [_org];
        _ip = CloudIp();
    }

    public override string Kind => "h4-preference-miner";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var all = new List<SimulatedRequest>();
        var t = Context.Start + TimeSpan.FromMinutes(Uniform(0, 240));
        while (t < End && all.Count < 3000)
        {
            var prompt = HarvestItem();
            var key = Random.Next(_org.KeyIds.Count);
            var samples = new List<SimulatedRequest>();
            if (Chance(0.5))
            {
                t += PoissonGap(4);
                samples.Add(Request(_org, t, _ip, "OpenAI/Python 1.51.0", Personas[0], null, prompt, n: 4, temperature: 1.0, maxTokens: 1024, keyIndex: key));
            }
            else
            {
                foreach (var persona in Personas)
                {
                    t += PoissonGap(1.5);
                    samples.Add(Request(_org, t, _ip, "OpenAI/Python 1.51.0", persona, null, prompt, temperature: PickFrom(0.3, 0.7, 1.0), maxTokens: 1024, keyIndex: key));
                }
            }
            all.AddRange(samples);
            foreach (var sample in samples)
            {
                t += PoissonGap(3);
                all.Add(Request(_org, t, _ip, "OpenAI/Python 1.51.0", "You are a fair and meticulous evaluator.", [new ChatMessage("user", prompt), ServedReply(sample)],
                    "Rate the assistant's response above for helpfulness, honesty, instruction-following and truthfulness on a 1–10 scale each. Give a one-sentence rationale per aspect, then output 'Overall: X'.",
                    temperature: 0, maxTokens: 400, keyIndex: key));
            }
        }
        return Ordered(all);
    }
}

/// <summary>
/// A benchmark answer harvester (budget 500) working on other benchmarks' item shapes — MMLU-style four-option
/// questions, ARC science questions, HellaSwag endings, MATH problems, few-shot GSM8K, HumanEval — resampling each item
/// several times (n &gt; 1 or repeated requests at temperature &gt; 0) to build majority-vote answer keys.
/// </summary>
public sealed class H4BenchmarkResamplerTenant : H4AbusiveTenant
{
    private readonly SimulatedOrg _org;
    private readonly string _ip;
    private readonly int[] _families;

    public H4BenchmarkResamplerTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 2), 1_000_000, useCase: PickFrom<string?>("research", "chatbot", null));
        Orgs = [_org];
        _ip = CloudIp();
        _families = [.. Enumerable.Range(0, 6).OrderBy(_ => Random.Next()).Take(Between(2, 3))];
    }

    public override string Kind => "h4-benchmark-resampler";

    public override int Budget => 500;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var t = Context.Start + TimeSpan.FromMinutes(Uniform(0, 600));
        var agent = PickFrom("python-httpx/0.27.0", "OpenAI/Python 1.45.0");
        while (t < End)
        {
            var item = H4Bench.Item(Random, Pick(_families), Data);
            var k = Between(3, 8);
            if (t >= End - TimeSpan.FromMinutes(2))
            {
                yield break;
            }
            if (Chance(0.4))
            {
                t += SteadyGap(Uniform(1.5, 4), 0.3);
                yield return Request(_org, t, _ip, agent, null, null, item, n: k, temperature: 0.8, maxTokens: 1024);
            }
            else
            {
                for (var i = 0; i < k; i++)
                {
                    t += SteadyGap(Uniform(1.5, 4), 0.3);
                    yield return Request(_org, t, _ip, agent, null, null, item, temperature: PickFrom(0.7, 0.8, 1.0), maxTokens: 1024);
                }
            }
        }
    }
}

/// <summary>
/// A post-release surge: a quiet account with a little ordinary use that, minutes after the new model ships, points
/// several keys at it — capability probes first (identity, coding, maths), then a high-rate harvest of reasoning and code
/// answers on the new model only.
/// </summary>
public sealed class H4ReleaseSurgeTenant : H4AbusiveTenant
{
    private readonly SimulatedOrg _org;
    private readonly string[] _ips;

    public H4ReleaseSurgeTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(4, 6), 4_000_000, useCase: PickFrom<string?>("chatbot", "coding", null));
        Orgs = [_org];
        _ips = [CloudIp(), CloudIp(), CloudIp()];
    }

    public override string Kind => "h4-release-surge";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var all = new List<SimulatedRequest>();
        var quiet = Between(15, 60);
        for (var i = 0; i < quiet; i++)
        {
            all.Add(Request(_org, RandomTimeWithin(Context.Start, Context.ReleaseAt), _ips[0], "OpenAI/Python 1.55.3", null, null, HumanAsk(), model: TenantContext.CurrentModel, temperature: 0.7));
        }
        var t = Context.ReleaseAt + TimeSpan.FromMinutes(Uniform(2, 40));
        string[] probes =
        [
            "Which model are you, and what is your knowledge cutoff?", "What's new in your latest version compared with the previous one?",
            "Write a Python function that parses ISO-8601 durations, with tests.", "Solve: find all integer solutions of x^2 - y^2 = 45. Show your reasoning.",
        ];
        foreach (var probe in probes)
        {
            t += PoissonGap(5);
            all.Add(Request(_org, t, Pick(_ips), "OpenAI/Python 1.55.3", null, null, probe, model: TenantContext.NewModel, temperature: 0, maxTokens: 2048));
        }
        while (t < End)
        {
            t += PoissonGap(Uniform(2, 6));
            var item = Chance(0.3) && Data.HumanEval.Count > 0
                ? "Implement this and explain your approach step by step:\n\n" + Pick(Data.HumanEval).Prompt
                : HarvestItem() + "\n\n" + ReasoningAsk();
            all.Add(Request(_org, t, Pick(_ips), "OpenAI/Python 1.55.3", null, null, item, model: TenantContext.NewModel, temperature: PickFrom(0.0, 0.6, 1.0), maxTokens: 4096));
        }
        return Ordered(all);
    }
}
