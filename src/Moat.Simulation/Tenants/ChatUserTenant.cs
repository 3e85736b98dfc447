using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants;

/// <summary>
/// A person using a chat app: a few sessions a day of multi-turn conversations opened with human-written requests,
/// paced by reading and typing. The "step-by-step" variant often asks for explanations step by step (a hard negative).
/// </summary>
public sealed class ChatUserTenant : SimulatedTenant
{
    private readonly bool _stepByStep;
    private readonly string _ip;
    private readonly string _userAgent;
    private readonly string? _system;
    private readonly bool _adoptsNewModel;

    public ChatUserTenant(string id, TenantContext context, bool stepByStep, string? sharedIpPrefix) : base(id, context)
    {
        _stepByStep = stepByStep;
        Orgs = [NewOrg(1 + Random.Next(2), tokensPerMinute: 40_000)];
        _ip = sharedIpPrefix is null ? RandomPublicIp() : sharedIpPrefix + Random.Next(2, 254);
        _userAgent = Pick(SdkUserAgents);
        _system = Random.NextDouble() < 0.5 ? "You are a helpful assistant." : null;
        _adoptsNewModel = Random.NextDouble() < 0.3;
    }

    public override string Kind => _stepByStep ? "step-by-step-user" : "chat-user";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var sessions = 1 + Random.Next(4);
        var sessionStarts = Enumerable.Range(0, sessions)
            .Select(_ => Context.Start + TimeSpan.FromHours(Random.NextDouble() * Context.Duration.TotalHours * 0.95))
            .Order().ToList();
        var used = new HashSet<int>();
        var at = Context.Start;
        foreach (var start in sessionStarts)
        {
            at = start > at ? start : at;
            var conversations = 1 + Random.Next(3);
            for (var c = 0; c < conversations; c++)
            {
                int pick;
                do
                {
                    pick = Random.Next(Data.BenignInstructions.Count);
                }
                while (!used.Add(pick) && used.Count < Data.BenignInstructions.Count);
                var opening = Data.BenignInstructions[pick].Text;
                if (_stepByStep && Random.NextDouble() < 0.6)
                {
                    opening += " " + Pick(Phrases.StepByStepAsks);
                }
                var history = new List<ChatMessage>();
                var turns = 1 + Random.Next(4);
                var user = opening;
                for (var t = 0; t < turns; t++)
                {
                    var request = Request(org, at, _ip, _userAgent, _system, [.. history], user,
                        temperature: Random.NextDouble() < 0.5 ? 0.7 : null);
                    yield return request;
                    history.Add(new ChatMessage("user", user));
                    history.Add(ServedReply(request));
                    user = Pick(Phrases.FollowUps);
                    if (_stepByStep && Random.NextDouble() < 0.3)
                    {
                        user += " " + Pick(Phrases.StepByStepAsks);
                    }
                    at += HumanGap(40);
                }
                at += HumanGap(120);
            }
        }
    }

    protected override string ModelAt(DateTimeOffset at) =>
        _adoptsNewModel && at >= Context.ReleaseAt ? TenantContext.NewModel : TenantContext.CurrentModel;
}
