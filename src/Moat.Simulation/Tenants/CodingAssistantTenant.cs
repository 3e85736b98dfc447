using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants;

/// <summary>An IDE plugin used by a team of developers: code questions with snippets, error messages and follow-ups.</summary>
public sealed class CodingAssistantTenant : SimulatedTenant
{
    private readonly double _meanGapSeconds;

    public CodingAssistantTenant(string id, TenantContext context) : base(id, context)
    {
        _meanGapSeconds = 60 + Random.Next(240);
        Orgs = [NewOrg(3, tokensPerMinute: 200_000)];
    }

    public override string Kind => "coding-assistant";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ipPrefix = $"{Random.Next(11, 223)}.{Random.Next(256)}.{Random.Next(256)}.";
        const string system = "You are a coding assistant inside the user's editor. Answer with code first, then a short explanation.";
        var at = Context.Start + PoissonGap(_meanGapSeconds);
        while (at < End)
        {
            var history = new List<ChatMessage>();
            var question = Question();
            var turns = 1 + Random.Next(3);
            for (var t = 0; t < turns; t++)
            {
                var request = Request(org, at, ipPrefix + Random.Next(2, 40), "vscode-moat-ext/1.8.2", system, [.. history], question,
                    temperature: 0.2, maxTokens: 2048);
                yield return request;
                history.Add(new ChatMessage("user", question));
                history.Add(ServedReply(request));
                question = Random.NextDouble() < 0.5 ? "That fails with " + Pick(Phrases.CodeErrors) + ". Any idea?" : Pick(Phrases.FollowUps);
                at += HumanGap(60);
            }
            at += PoissonGap(_meanGapSeconds);
        }
    }

    private string Question()
    {
        var language = Pick(Phrases.CodeLanguages);
        var task = Pick(Phrases.CodeTasks);
        var name = "fn_" + Random.Next(1000);
        return Random.Next(4) switch
        {
            0 => $"Write a {language} function that {task}.",
            1 => $"Why does this throw {Pick(Phrases.CodeErrors)}?\n\n```python\ndef {name}(items, key=None):\n    \"\"\"Return the items grouped by key.\"\"\"\n    result = {{}}\n    for item in items:\n        result[item[key]].append(item)\n    return result\n```",
            2 => $"Refactor this to be more idiomatic {language}:\n\n```\nfor i in range(len(rows)):\n    if rows[i] != None:\n        out.append(rows[i]['{name}'])\n```",
            _ => Pick(Data.BenignInstructions).Text,
        };
    }
}
