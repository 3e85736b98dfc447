using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>
/// An agent framework deployment: a fixed system template with tool definitions, multi-step runs whose history carries the
/// assistant's JSON tool calls and the tools' JSON results, the latest observation passed back as the user turn.
/// </summary>
public sealed class HoAgentFrameworkTenant : HeldOutTenant
{
    public HoAgentFrameworkTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(1 + Random.Next(4), tokensPerMinute: 800_000, useCase: "automation")];
    }

    public override string Kind => "ho-agent-framework";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var prefix = RandomPrefix();
        var agent = Pick(new[] { "langchain-openai/0.2.14", "crewai/0.86.0 OpenAI/Python 1.58.1", "openai-dotnet/2.1.0" });
        var system = Text.AgentSystemPrompt();
        var mean = 60.0 + Random.Next(400);
        var at = StartWithin(4);
        while (at < End)
        {
            var history = new List<ChatMessage>();
            var user = Text.AgentGoal();
            var steps = 2 + Random.Next(6);
            var ip = IpInRange(prefix);
            for (var s = 0; s < steps && at < End; s++)
            {
                var request = Request(org, at, ip, agent, system, [.. history], user, temperature: 0, maxTokens: 1024);
                yield return request;
                var (call, result) = Text.AgentStep();
                history.Add(new ChatMessage("user", user));
                history.Add(ServedReply(request, call));
                history.Add(new ChatMessage("tool", result));
                user = "Observation: " + result;
                at += TimeSpan.FromSeconds(1 + Random.NextDouble() * 6);
            }
            at += DiurnalGap(at, mean);
        }
    }
}
