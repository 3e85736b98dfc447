using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>A person (or a small household account) chatting: from a handful to a few hundred requests a day, mostly multi-turn, human pacing.</summary>
public sealed class HoChatUserTenant : HeldOutTenant
{
    private readonly bool _adopter;

    public HoChatUserTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(1 + Random.Next(2), tokensPerMinute: 60_000)];
        _adopter = Random.NextDouble() < 0.35;
    }

    public override string Kind => "ho-chat-user";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var agent = ClientAgent();
        var system = Random.NextDouble() < 0.6 ? Text.ChatSystemPrompt() : null;
        // Heavy-tailed engagement: most people open a few sessions, a few power users open dozens.
        var sessions = Math.Min(40, 1 + (int)(-3 * Math.Log(1 - Random.NextDouble())));
        var starts = Enumerable.Range(0, sessions).Select(_ => Context.Start + TimeSpan.FromHours(Random.NextDouble() * 23.5)).Order().ToList();
        var at = Context.Start;
        foreach (var start in starts)
        {
            at = start > at ? start : at;
            for (var c = 1 + Random.Next(3); c > 0 && at < End; c--)
            {
                var temperature = Random.NextDouble() < 0.5 ? (double?)null : Math.Round(Random.NextDouble(), 1);
                foreach (var request in Conversation(org, at, ip, agent, system, Text.Ordinary(), 1 + Random.Next(6), Text.FollowUp, temperature: temperature))
                {
                    yield return request;
                    at = request.Timestamp;
                }
                at += HumanGap(90);
            }
        }
    }

    protected override string ModelAt(DateTimeOffset at) => _adopter && at >= Context.ReleaseAt ? TenantContext.NewModel : TenantContext.CurrentModel;
}
