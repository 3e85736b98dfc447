using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>
/// A harvester hiding at a fixed abusive share (10, 20 or 30%) in ordinary multi-turn chat across the whole day, exponential
/// pacing with long pauses; each harvest request uses one of several styles (cue-free long answers, reasoning traces,
/// task generation, chain of thought, benchmark-style items).
/// </summary>
public sealed class HoSlowAndLowTenant : HeldOutTenant
{
    private readonly int _percent;

    public HoSlowAndLowTenant(string id, TenantContext context, int percent) : base(id, context)
    {
        _percent = percent;
        Orgs = [NewOrg(1 + Random.Next(2), tokensPerMinute: 300_000)];
    }

    public override string Kind => $"ho-slow-and-low-{_percent}";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var agent = ClientAgent();
        var styles = Enumerable.Range(0, 5).OrderBy(_ => Random.Next()).Take(1 + Random.Next(3)).ToList();
        var share = _percent / 100.0;
        var at = StartWithin(1);
        var sent = 0;
        var harvested = 0;
        while (at < End)
        {
            if (harvested < share * (sent + 1))
            {
                var prompt = Pick(styles) switch
                {
                    0 => Text.CueFreeInstruction(),
                    1 => Text.ReasoningTrace(Text.ReasoningTask()),
                    2 => Text.TaskGeneration(),
                    3 => Text.CotElicitation(),
                    _ => Text.Item(Pick(new[] { "mmlu", "math", "gsm8k", "mbpp", "trivia" })).Text,
                };
                yield return Request(org, at, ip, agent, null, null, prompt, temperature: 0.7, maxTokens: Pick(new[] { 1024, 2048 }));
                sent++;
                harvested++;
                at += GapWithPauses(10, 0.015, 20);
                continue;
            }
            foreach (var request in Conversation(org, at, ip, agent, null, Text.Ordinary(), 1 + Random.Next(4), Text.FollowUp, medianGapSeconds: 10))
            {
                yield return request;
                sent++;
                at = request.Timestamp;
            }
            at += GapWithPauses(10, 0.015, 20);
        }
    }
}
