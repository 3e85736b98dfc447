using System.Text;
using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// A self-instruct / Alpaca-style instruction generator (Wang et al. 2022; Stanford Alpaca 2023), with the Orca-style
/// answer step that followed it (Mukherjee et al. 2023): the script sends Alpaca's generation prompt with three sampled
/// seed tasks at temperature 1.0 to get 20 new tasks, then sends the generated instructions for answers, half of them under
/// Orca's "think step-by-step and justify your steps" system messages. One organisation, two keys (generation, answers),
/// one data-centre address, a plain Python loop with short sleeps around the clock: about 8,000–9,000 requests a day.
/// </summary>
public sealed class H6SelfInstructTenant : HeldOut6Tenant
{
    private static readonly string[] OrcaSystems =
    [
        "You are an AI assistant. User will give you a task. Your goal is to complete the task as faithfully as you can. While performing the task " +
        "think step-by-step and justify your steps.",
        "You are a helpful assistant, who always provide explanation. Think like you are answering to a five year old.",
        "You are an AI assistant that helps people find information. Provide a detailed answer so user don't need to search outside to understand the answer.",
        "Explain how you used the definition to come up with the answer.",
        "You are an AI assistant. You will be given a task. You must generate a detailed and long answer.",
    ];

    private readonly SimulatedOrg _org;
    private readonly string _ip;

    public H6SelfInstructTenant(string id, TenantContext context)
        : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 2_000_000, useCase: "research");
        Orgs = [_org];
        _ip = FixedIps(1)[0];
    }

    public override string Kind => "h6-self-instruct";
    public override bool IsAbusive => true;

    protected override void Build(List<SimulatedRequest> requests)
    {
        var at = Context.Start + TimeSpan.FromMinutes(Random.NextDouble() * 180);
        var sent = new HashSet<string>(StringComparer.Ordinal);
        while (at < End)
        {
            requests.Add(Harvest(Request(_org, at, _ip, "OpenAI/Python 1.40.0", null, null, GenerationPrompt(), temperature: 1.0, maxTokens: 3072, keyIndex: 0)));
            at += SteadyGap(14, 0.4);
            var answers = Random.Next(8, 20);
            for (var i = 0; i < answers && at < End; i++)
            {
                var instruction = FreshTask(sent, () => Ask(Pick(Data.AlpacaInstructions)));
                var system = Chance(0.5) ? PickFrom(OrcaSystems) : null;
                requests.Add(Harvest(Request(_org, at, _ip, "OpenAI/Python 1.40.0", system, null, instruction, temperature: 0.7, maxTokens: 2048, keyIndex: 1)));
                at += SteadyGap(9, 0.5);
            }
        }
    }

    private string GenerationPrompt()
    {
        var sb = new StringBuilder(Data.SelfInstructPrompt);
        sb.Append('\n');
        var seeds = Data.SeedTasks.OrderBy(_ => Random.Next()).Take(3).ToList();
        for (var i = 0; i < seeds.Count; i++)
        {
            var input = string.IsNullOrWhiteSpace(seeds[i].Input) ? "<noinput>" : seeds[i].Input;
            sb.Append($"###\n{i + 1}. Instruction: {seeds[i].Instruction}\n{i + 1}. Input:\n{input}\n{i + 1}. Output:\n{seeds[i].Output}\n");
        }
        sb.Append($"###\n{seeds.Count + 1}. Instruction:");
        return sb.ToString();
    }
}
