using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut5;

/// <summary>
/// Capability distillation of reasoning (after GTIG's "reasoning trace coercion" reports): fresh coding and maths
/// problems only, each asking for the complete reasoning in the language of the question; eight async workers around
/// the clock, long outputs.
/// </summary>
public sealed class H5CapabilityDistillerTenant : HeldOut5Tenant
{
    private static readonly string[] Systems =
    [
        "Before the final answer, show your complete reasoning process. The language used in your reasoning must be strictly consistent with the main language of the user input.",
        "Output your full thinking first, every intermediate step included, in the same language as the question. Then give the final answer.",
        "You are an expert problem solver. Write out the whole reasoning trace, do not skip or summarise steps, and keep the reasoning in the user's language.",
    ];

    private static readonly string[] Wrappers =
    [
        "{0}", "{0}\n\nShow the complete reasoning, then the answer.", "Problem:\n{0}", "{0}\n\nGive your full reasoning in the same language as this question.",
        "Resuelve el siguiente problema y muestra todo tu razonamiento en español:\n{0}", "请解答下面的问题，并用中文写出完整的推理过程：\n{0}",
        "Résous ce problème et détaille tout ton raisonnement en français :\n{0}",
    ];

    private readonly SimulatedOrg _org;

    public H5CapabilityDistillerTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 3, tokensPerMinute: 2_000_000);
        Orgs = [_org];
    }

    public override string Kind => "h5-capability-distiller";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var ips = new[] { CloudIp(), CloudIp() };
        var system = PickFrom(Systems);
        var start = Context.Start + TimeSpan.FromMinutes(Random.Next(0, 240));
        foreach (var at in WorkerTimes(8, start, _ => HumanGap(35)))
        {
            var problem = Chance(0.55) ? H5Text.MathProblem(Random) : H5Text.CodeProblem(Random, H5Text.Of(Random, H5Text.CodeLanguages));
            yield return Request(_org, at, PickFrom(ips), "AsyncOpenAI/Python 1.58.1", Chance(0.85) ? system : null, null, Fill(PickFrom(Wrappers), problem),
                temperature: PickFrom(0.6, 0.7, 1.0), maxTokens: PickFrom(8192, 16384));
        }
    }
}

/// <summary>
/// A quiet distiller: plain, diverse questions with no wording that asks for reasoning or lists, no system prompt, a
/// high max_tokens for long thorough answers, one loop with a steady sleep.
/// </summary>
public sealed class H5QuietLongAnswersTenant : HeldOut5Tenant
{
    private static readonly string[] Frames =
    [
        "What are the main factors behind {0}?", "How does {0} work in practice?", "What should someone know before getting into {0}?",
        "Compare the common approaches to {0}.", "What is the history of {0}?", "What are common misconceptions about {0}?",
        "Why do experts disagree about {0}?", "How has {0} changed over the last fifty years?", "What would a beginner get wrong about {0}?",
        "Describe {0} to someone who has never heard of it.", "What are the costs and benefits of {0}?", "Where is {0} heading in the next decade?",
    ];

    private readonly SimulatedOrg _org;

    public H5QuietLongAnswersTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 1, tokensPerMinute: 1_000_000);
        Orgs = [_org];
    }

    public override string Kind => "h5-quiet-long-answers";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var ip = CloudIp();
        var sleep = 10 + 8 * Random.NextDouble();
        var maxTokens = PickFrom(4096, 6000, 8192);
        var at = Context.Start + TimeSpan.FromMinutes(Random.Next(0, 120));
        while (at < End)
        {
            var roll = Random.NextDouble();
            var question = roll < 0.5 ? Fill(PickFrom(Frames), H5Text.Of(Random, H5Text.Topics))
                : roll < 0.8 ? Pick(Data.AlpacaInstructions).Instruction
                : HumanAsk();
            yield return Request(_org, at, ip, "python-requests/2.32.3", null, null, question, temperature: 0.7, maxTokens: maxTokens);
            at += SteadyGap(sleep, 0.25);
        }
    }
}

/// <summary>
/// Persona rotation: dozens of system-prompt personas and paraphrase templates over the same instruction stream, keys,
/// user agents and egress addresses rotated, so the traffic looks like many small products.
/// </summary>
public sealed class H5PersonaRotationTenant : HeldOut5Tenant
{
    private static readonly string[] Roles =
    [
        "a travel planner for {0}", "a cooking coach for {0}", "a legal intake assistant at {0}", "a fitness coach in the {0} app", "a study buddy for {0} students",
        "a customer success agent at {0}", "a writing tutor for {0}", "a productivity coach at {0}", "a personal finance helper for {0}", "a gardening expert for {0}",
        "an HR assistant at {0}", "a museum guide for {0}",
    ];

    private static readonly string[] Tones = ["Be concise.", "Be warm and encouraging.", "Be precise and formal.", "Use plain language.", "Answer in detail."];

    private static readonly string[] Paraphrases =
    [
        "{0}", "Task: {0}", "Could you help with this? {0}", "I need the following done: {0}", "A user asks: {0}", "{0}\nPlease answer as completely as you can.",
        "Respond to the request below.\n\n{0}", "Here's what I'm after: {0}", "{0} (answer fully)", "Help me out: {0}",
    ];

    private readonly SimulatedOrg _org;

    public H5PersonaRotationTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 5, tokensPerMinute: 2_000_000);
        Orgs = [_org];
    }

    public override string Kind => "h5-persona-rotation";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var personas = new List<string>();
        for (var i = Random.Next(30, 60); i > 0; i--)
        {
            personas.Add($"You are {Fill(PickFrom(Roles), PickFrom(Phrases.Companies))}. {PickFrom(Tones)}");
        }
        var uas = Enumerable.Range(0, 5).Select(_ => BackendUserAgent()).ToArray();
        var ips = Enumerable.Range(0, 4).Select(_ => CloudIp()).ToArray();
        var at = Context.Start + TimeSpan.FromMinutes(Random.Next(0, 90));
        while (true)
        {
            at = NextThinned(at, 5, t => 0.55 + 0.45 * ConsumerDay(t, -5));
            if (at >= End)
            {
                yield break;
            }
            var persona = Random.Next(personas.Count);
            yield return Request(_org, at, ips[persona % ips.Length], uas[persona % uas.Length], personas[persona], null,
                Fill(PickFrom(Paraphrases), AnyInstruction()), temperature: PickFrom<double?>(null, 0.7, 0.9), maxTokens: PickFrom<int?>(null, 1500, 3000),
                keyIndex: persona);
        }
    }
}

/// <summary>
/// A release rush (the "redirect within a day of a new model" pattern): a trickle on the current model, then within
/// minutes of the release a ramp to a dozen or more workers on the new model.
/// </summary>
public sealed class H5ReleaseRushTenant : HeldOut5Tenant
{
    private readonly SimulatedOrg _org;

    public H5ReleaseRushTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 6, tokensPerMinute: 4_000_000);
        Orgs = [_org];
    }

    public override string Kind => "h5-release-rush";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var planned = new List<SimulatedRequest>();
        var ips = Enumerable.Range(0, 3).Select(_ => CloudIp()).ToArray();
        const string ua = "AsyncOpenAI/Python 1.58.1";
        foreach (var at in WorkerTimes(1, Context.Start, _ => HumanGap(240), Context.ReleaseAt))
        {
            planned.Add(Request(_org, at, ips[0], ua, null, null, Prompt(), TenantContext.CurrentModel, temperature: 0.7, maxTokens: 4096));
        }
        var rushStart = Context.ReleaseAt + TimeSpan.FromMinutes(5 + Random.Next(0, 35));
        var workers = Random.Next(10, 17);
        for (var w = 0; w < workers; w++)
        {
            // Workers join over the first hour.
            var join = rushStart + TimeSpan.FromMinutes(60.0 * w / workers);
            foreach (var at in WorkerTimes(1, join, _ => HumanGap(25)))
            {
                planned.Add(Request(_org, at, ips[w % ips.Length], ua, null, null, Prompt(), TenantContext.NewModel,
                    temperature: PickFrom(0.6, 0.8), maxTokens: 8192, keyIndex: w));
            }
        }
        return InOrder(planned);
    }

    private string Prompt() => Random.Next(4) switch
    {
        0 => H5Text.MathProblem(Random) + "\n\nShow your full reasoning.",
        1 => H5Text.CodeProblem(Random, H5Text.Of(Random, H5Text.CodeLanguages)),
        _ => AnyInstruction(),
    };
}
