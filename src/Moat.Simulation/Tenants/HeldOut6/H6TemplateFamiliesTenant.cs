using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// A distiller that paraphrases its prompts through several wrapper families so no single template dominates (the "prompt
/// diversity" step of instruction-data pipelines, and the variation Anthropic notes campaigns use to look less repetitive):
/// five families (a student asking, a professional brief, a bare imperative, a quoted task with formatting rules, an expert
/// persona), each with several wordings; the family rotates every few dozen requests, as a generation script moves from one
/// batch config to the next. Capability-coverage content underneath. One organisation, three keys, two data-centre
/// addresses, a Python client, a loop with jittered sleeps around the clock: several thousand requests a day.
/// </summary>
public sealed class H6TemplateFamiliesTenant : HeldOut6Tenant
{
    private static readonly string[][] Families =
    [
        [
            "hi, I'm studying for my exams and I'm stuck on this. {0}", "Could you help me understand this for class? {0}",
            "My teacher gave us this and I have no idea: {0}", "I'm a student, please help: {0}", "homework help: {0}",
        ],
        [
            "For a client deliverable I need the following handled carefully.\n\n{0}", "Brief: {0}\nPlease deliver a complete, polished response.",
            "Task from my manager: {0}. Please give a thorough answer I can reuse.", "Context: internal documentation.\nRequest: {0}",
        ],
        [
            "{0}", "{0}\n\nBe thorough.", "{0} Answer in full.", "{0}\nRespond completely and accurately.",
        ],
        [
            "### Task\n{0}\n\n### Requirements\n- Be accurate\n- Use Markdown\n- Give a complete answer",
            "Complete the task below.\n\nTASK: \"{0}\"\n\nFormat: a detailed, well-organised response.",
            "<task>\n{0}\n</task>\nWrite the best possible response to the task.",
            "Instruction:\n{0}\n\nResponse (detailed):",
        ],
        [
            "You are a world-class expert. {0}", "As a senior specialist with 20 years of experience, respond to this: {0}",
            "Act as a professor and answer: {0}", "Pretend you are the top consultant in this field. {0}", "Imagine you are an expert tutor. {0}",
        ],
    ];

    private readonly SimulatedOrg _org;
    private readonly List<string> _ips;

    public H6TemplateFamiliesTenant(string id, TenantContext context)
        : base(id, context)
    {
        _org = NewOrg(keys: 3, tokensPerMinute: 1_000_000, useCase: PickFrom("education platform", "content tools"));
        Orgs = [_org];
        _ips = FixedIps(2);
    }

    public override string Kind => "h6-template-families";
    public override bool IsAbusive => true;

    protected override void Build(List<SimulatedRequest> requests)
    {
        var at = Context.Start + TimeSpan.FromMinutes(Random.NextDouble() * 120);
        var order = Enumerable.Range(0, Families.Length).OrderBy(_ => Random.Next()).ToArray();
        var batch = 0;
        var sent = new HashSet<string>(StringComparer.Ordinal);
        while (at < End)
        {
            var family = Families[order[batch % order.Length]];
            var size = Random.Next(25, 70);
            var key = batch % _org.KeyIds.Count;
            var ip = Pick(_ips);
            for (var i = 0; i < size && at < End; i++)
            {
                var prompt = PickFrom(family).Replace("{0}", FreshTask(sent), StringComparison.Ordinal);
                requests.Add(Harvest(Request(_org, at, ip, "OpenAI/Python 1.54.4", null, null, prompt, temperature: 0.8, maxTokens: 2048, keyIndex: key)));
                at += SteadyGap(11, 0.6);
            }
            at += TimeSpan.FromMinutes(1 + Random.NextDouble() * 8); // the script loads the next batch config
            batch++;
        }
    }
}
