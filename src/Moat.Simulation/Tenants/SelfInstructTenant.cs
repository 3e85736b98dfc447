using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants;

/// <summary>
/// An Alpaca-style self-instruct loop: the generation prompt plus three random seed tasks per request, at temperature 1
/// and a large max_tokens, in a tight loop. The paraphrasing variant re-words its template and seed layout every time.
/// </summary>
public sealed class SelfInstructTenant : SimulatedTenant
{
    private readonly bool _paraphrasing;
    private readonly bool _fixedVariant;
    private readonly double _gapSeconds;

    public SelfInstructTenant(string id, TenantContext context, bool paraphrasing) : base(id, context)
    {
        _paraphrasing = paraphrasing;
        _fixedVariant = Random.NextDouble() < 0.5;
        _gapSeconds = 2 + Random.NextDouble() * 6;
        Orgs = [NewOrg(1 + Random.Next(3), tokensPerMinute: Random.NextDouble() < 0.5 ? 200_000 : 1_000_000)];
    }

    public override string Kind => _paraphrasing ? "paraphrasing-distiller" : "self-instruct-generator";
    public override bool IsAbusive => true;
    public override int Budget => 2000;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ipPrefix = $"{Random.Next(11, 223)}.{Random.Next(256)}.{Random.Next(256)}.";
        var userAgent = Pick(SdkUserAgents);
        var at = Context.Start + TimeSpan.FromHours(Random.NextDouble() * 12);
        var switchesModel = Random.NextDouble() < 0.5;
        while (true)
        {
            var seeds = Enumerable.Range(0, 3).Select(_ => Pick(Data.SeedTasks)).ToList();
            var prompt = _paraphrasing ? SelfInstructPrompts.Paraphrased(Random, seeds) : SelfInstructPrompts.Alpaca(Data.SelfInstructPrompt, seeds, _fixedVariant);
            var model = switchesModel && at >= Context.ReleaseAt ? TenantContext.NewModel : TenantContext.CurrentModel;
            yield return Request(org, at, ipPrefix + Random.Next(2, 30), userAgent, null, null, prompt, model: model,
                temperature: 1.0, maxTokens: 3072);
            at += SteadyGap(_gapSeconds, 0.2);
        }
    }
}
