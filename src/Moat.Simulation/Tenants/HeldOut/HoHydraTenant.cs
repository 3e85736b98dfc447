using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>
/// A "hydra" proxy cluster: one operator spreads a harvest over 20 keys in 5 separately created organisations (4 keys each).
/// Shared infrastructure leaks through: two IP ranges, one SDK family, one template family, one central scheduler. Each key
/// runs far below what a single harvesting tenant would.
/// </summary>
public sealed class HoHydraTenant : HeldOutTenant
{
    public HoHydraTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = Enumerable.Range(0, 5)
            .Select(i => NewOrg(4, tokensPerMinute: Pick(new[] { 90_000, 150_000, 400_000 }), useCase: Pick(new[] { "research", "chatbot", "internal-tools", null }), suffix: $"-h{i}"))
            .ToList();
    }

    public override string Kind => "ho-hydra-20";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        string[] ranges = [RandomPrefix(), RandomPrefix()];
        var versions = Orgs.Select(_ => $"OpenAI/Python 1.{50 + Random.Next(12)}.{Random.Next(4)}").ToList();
        var styles = Enumerable.Range(0, 3).OrderBy(_ => Random.Next()).Take(1 + Random.Next(3)).ToList();
        var mean = 6 + Random.NextDouble() * 14;
        var at = StartWithin(6);
        var keys = Enumerable.Range(0, 20).OrderBy(_ => Random.Next()).ToList();
        for (var i = 0; at < End; i++)
        {
            // The scheduler walks a shuffled key list so that every key gets 1/20 of the load.
            var slot = keys[i % keys.Count];
            var orgIndex = slot / 4;
            var prompt = Pick(styles) switch
            {
                0 => Text.ReasoningTrace(Text.ReasoningTask()),
                1 => Text.TaskGeneration(),
                _ => Text.CueFreeInstruction(),
            };
            yield return Request(Orgs[orgIndex], at, IpInRange(ranges[orgIndex % 2]), versions[orgIndex], null, null, prompt,
                temperature: 0.9, maxTokens: 4096, keyIndex: slot % 4);
            at += PoissonGap(mean);
        }
    }
}
