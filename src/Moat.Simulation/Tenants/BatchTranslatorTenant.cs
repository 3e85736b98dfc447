using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants;

/// <summary>A translation pipeline: one template, fresh texts, a fixed-rate loop that runs at its token cap (a hard negative).</summary>
public sealed class BatchTranslatorTenant : SimulatedTenant
{
    private readonly string _language;
    private readonly double _gapSeconds;
    private readonly bool _asksForCap;

    public BatchTranslatorTenant(string id, TenantContext context) : base(id, context)
    {
        _language = Pick(Phrases.Languages);
        _gapSeconds = 3 + Random.Next(4);
        _asksForCap = Random.NextDouble() < 0.5;
        // Sized so the loop uses nearly all of its token-per-minute quota.
        var requestsPerMinute = 60 / _gapSeconds;
        Orgs = [NewOrg(1, tokensPerMinute: (long)(requestsPerMinute * 420))];
    }

    public override string Kind => "batch-translator";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var at = Context.Start + TimeSpan.FromHours(Random.NextDouble() * 12);
        var stop = at + TimeSpan.FromHours(1.5 + Random.NextDouble() * 2);
        while (at < stop && at < End)
        {
            var item = Pick(Data.AlpacaInstructions);
            var text = item.Output.Length > 40 ? item.Output : item.Instruction + " " + item.Output;
            yield return Request(org, at, ip, "python-requests/2.32.3", null, null,
                $"Translate the following text into {_language}. Keep the formatting and do not add explanations.\n\n{text}",
                temperature: 0, maxTokens: _asksForCap ? 4096 : 1024);
            at += SteadyGap(_gapSeconds);
        }
    }
}
