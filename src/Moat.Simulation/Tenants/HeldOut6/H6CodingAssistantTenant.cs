using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// A team's IDE coding assistant with bring-your-own-key (Continue / Cody style): every developer has their own key in the
/// company organisation and works from home or the office, so there are many keys at low individual rates from many
/// addresses. Traffic is a mix of chat sessions ("why does this throw", "now add tests") and "complete this function"
/// requests that paste a signature and docstring, which look a lot like code-benchmark prompts. Temperature 0.2. Office
/// hours. About 200–600 requests a day over 8–25 keys.
/// </summary>
public sealed class H6CodingAssistantTenant : HeldOut6Tenant
{
    private static readonly string[] FollowUps =
    [
        "now add unit tests", "can you make it async?", "it still throws, here's the trace: {0}", "use the standard library only",
        "add type hints", "explain the complexity", "rename the variables to match our style", "what about empty input?", "ok, looks good",
    ];

    private readonly SimulatedOrg _org;
    private readonly List<string> _devIps;
    private readonly double _utcOffset;
    private readonly string _language;

    public H6CodingAssistantTenant(string id, TenantContext context)
        : base(id, context)
    {
        var devs = Random.Next(8, 26);
        _org = NewOrg(keys: devs, tokensPerMinute: 1_000_000, useCase: "developer tools");
        Orgs = [_org];
        var office = FixedIps(1)[0];
        _devIps = Enumerable.Range(0, devs).Select(_ => Chance(0.4) ? office : RandomPublicIp()).ToList();
        _utcOffset = PickFrom(-8.0, -5.0, 0.0, 1.0, 2.0, 5.5);
        _language = PickFrom("Python", "TypeScript", "C#", "Go");
    }

    public override string Kind => "h6-coding-assistant";
    public override bool IsAbusive => false;

    protected override void Build(List<SimulatedRequest> requests)
    {
        var system = $"You are a coding assistant inside the developer's IDE. The project is mostly {_language}. Answer with code blocks and short explanations.";
        for (var dev = 0; dev < _org.KeyIds.Count; dev++)
        {
            var sessions = Random.Next(3, 22);
            var agent = PickFrom("OpenAI/JS 4.73.1", "OpenAI/JS 4.77.0");
            for (var s = 0; s < sessions; s++)
            {
                var at = RandomTimeWhen(Context.Start, End, t => OfficeWeight(t, _utcOffset));
                var turns = new List<string> { Opening() };
                while (turns.Count < 6 && Chance(0.45))
                {
                    turns.Add(Fill(PickFrom(FollowUps), Pick(Phrases.CodeErrors)));
                }
                requests.AddRange(Conversation(_org, at, _devIps[dev], agent, system, turns, () => HumanGap(90), temperature: 0.2,
                    maxTokens: 1500, keyIndex: dev));
            }
        }
    }

    private string Opening()
    {
        var roll = Random.NextDouble();
        if (roll < 0.2)
        {
            // "Complete this function" with the signature and docstring pasted from the file (HumanEval-like shape).
            return $"Complete the implementation:\n\n```python\n{Pick(Data.HumanEval).Prompt}```";
        }
        if (roll < 0.55)
        {
            return $"Write a {_language} function that {Pick(Phrases.CodeTasks)}.";
        }
        if (roll < 0.8)
        {
            return $"I'm getting `{Pick(Phrases.CodeErrors)}` when I {Pick(Phrases.CodeTasks).Replace("s ", " ", StringComparison.Ordinal)}. What's wrong?";
        }
        return $"Explain what this does and suggest improvements:\n\n```\n{Pick(Data.HumanEval).Prompt.Split('\n').FirstOrDefault(l => l.StartsWith("def ", StringComparison.Ordinal)) ?? "def f(x): return x"}\n    ...\n```";
    }
}
