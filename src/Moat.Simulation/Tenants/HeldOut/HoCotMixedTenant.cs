using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>Chain-of-thought elicitation (about a quarter of requests) mixed into otherwise ordinary multi-turn use, paced like a person.</summary>
public sealed class HoCotMixedTenant : HeldOutTenant
{
    public HoCotMixedTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(1 + Random.Next(2), tokensPerMinute: 300_000)];
    }

    public override string Kind => "ho-cot-mixed";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var agent = ClientAgent();
        var system = Random.NextDouble() < 0.5 ? Text.ChatSystemPrompt() : null;
        var share = 0.2 + Random.NextDouble() * 0.1;
        var at = StartWithin(2);
        while (at < End)
        {
            if (Random.NextDouble() < share / (share + (1 - share) / 2.5))
            {
                // One harvest request stands alone (a conversation below averages 2.5 turns).
                yield return Request(org, at, ip, agent, system, null, Text.CotElicitation(), temperature: 0.7, maxTokens: Pick(new[] { 1024, 2048 }));
                at += HumanGap(15);
                continue;
            }
            foreach (var request in Conversation(org, at, ip, agent, system, Text.Ordinary(), 1 + Random.Next(4), Text.FollowUp, medianGapSeconds: 15))
            {
                yield return request;
                at = request.Timestamp;
            }
            at += HumanGap(15);
        }
    }
}
